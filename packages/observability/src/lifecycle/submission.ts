// A submission: `batch.submission` with OffGridFlow's events (batch.created, activities.added,
// batch.queued), the carrier a worker continues the trace from, and on success the submission
// metrics, `queue.size` (tracked mode) and `pending → queued`.
import type { SubmissionSpan } from '@ogf/tracing';
import { context } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { withLogFields } from './log-fields.js';
import type { Deps } from './shared.js';
import type { ManualSubmission, SubmitRef } from './types.js';

export class SubmissionHandle implements ManualSubmission {
  readonly batchId: string;
  readonly carrier: Record<string, string>;
  readonly context: Context;
  readonly span: SubmissionSpan;
  private readonly deps: Deps;
  private readonly activityCount: number;
  /** When submitting started; undefined when nothing records its duration (no metrics, span not recording). */
  private readonly started: number | undefined;
  private ended = false;

  constructor(deps: Deps, ref: SubmitRef) {
    this.deps = deps;
    this.batchId = ref.id;
    this.activityCount = ref.activityCount;
    this.span = deps.tracer.startBatchSubmissionSpan({
      id: ref.id,
      orgId: ref.orgId,
      workspaceId: ref.workspaceId,
      activityCount: ref.activityCount,
    });
    this.context = withLogFields(this.span.context, { batch_id: ref.id });
    this.carrier = deps.tracer.injectContext(this.span.context);
    this.span.created();
    this.span.activitiesAdded(ref.activityCount);
    this.started = deps.metricsOn || this.span.span.isRecording() ? deps.clock() : undefined;
  }

  event(name: string, attributes?: Attributes): void {
    this.span.event(name, attributes);
  }

  private end(operation: string): number | undefined {
    if (this.ended) {
      this.deps.misuse(`sub.${operation}(): the submission of batch ${this.batchId} has ended; ignored`);
      return undefined;
    }
    this.ended = true;
    return this.started === undefined ? 0 : this.deps.clock() - this.started;
  }

  queued(): void {
    const durationMs = this.end('queued');
    if (durationMs === undefined) return;
    const { metrics } = this.deps;
    metrics.recordBatchSubmission({ activityCount: this.activityCount });
    // With the submission span active: the duration takes this trace as exemplar.
    context.with(this.context, () => metrics.recordSubmitDuration({ durationMs, success: true }));
    this.deps.enqueue(this.batchId);
    this.deps.transition(this.batchId, 'pending', 'queued', { span: this.span, ctx: this.context });
    this.span.queued(this.deps.queueLevel());
    this.span.complete({ durationMs });
  }

  fail(error: unknown): void {
    const durationMs = this.end('fail');
    if (durationMs === undefined) return;
    context.with(this.context, () => this.deps.metrics.recordSubmitDuration({ durationMs, success: false }));
    this.deps.metrics.recordError({ error });
    this.span.fail(error);
  }
}
