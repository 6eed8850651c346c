// One activity of a running batch: its `activity.processing` span, its duration, its outcome and
// its retries. It is counted once: a second end, or a second activity with the same id in the
// same run, is traced but moves no metric, and is reported as misuse.
import type { ActivitySpan } from '@ogf/tracing';
import { ATTRIBUTES } from '@ogf/tracing';
import type { Attributes, Context } from '@opentelemetry/api';
import { activityContext } from './log-fields.js';
import { NONE } from './shared.js';
import type { Deps } from './shared.js';
import type { ActivityRef, ManualActivity } from './types.js';

/** What an activity reports back to its run. */
export interface ActivityOwner {
  readonly deps: Deps;
  readonly batchId: string;
  readonly signal: AbortSignal;
  readonly context: Context;
  /** Whether contexts reach callbacks (a context manager is registered). */
  readonly propagates: boolean;
  readonly childOptions: { parent: Context };
  /** Whether this activity counts (first of its id, run still open). */
  admit(activity: ActivityHandle, manual: boolean): boolean;
  settled(activity: ActivityHandle, success: boolean | undefined, emissionsKg: number): void;
}

export class ActivityHandle implements ManualActivity {
  readonly activityId: string;
  readonly span: ActivitySpan;
  private builtContext: Context | undefined;
  private readonly deps: Deps;
  private readonly owner: ActivityOwner;
  /** When the activity started; undefined when nothing records its duration (no metrics, span not recording). */
  private readonly started: number | undefined;
  private readonly counted: boolean;
  private failure: unknown = NONE;
  private skipped: string | undefined | typeof NONE = NONE;
  private attempts = 1;
  private emissionsKg = 0;
  private hasEmissions = false;
  private ended = false;

  constructor(owner: ActivityOwner, ref: ActivityRef, manual: boolean) {
    const deps = owner.deps;
    this.deps = deps;
    this.owner = owner;
    this.activityId = ref.id;
    const activity =
      ref.type === undefined ? { id: ref.id, batchId: owner.batchId } : { id: ref.id, batchId: owner.batchId, type: ref.type };
    this.span = deps.tracer.startActivityProcessingSpan(activity, owner.childOptions);
    this.counted = owner.admit(this, manual);
    // The duration feeds only the metrics and the span: when neither records, the clock is not read.
    this.started = deps.metricsOn || this.span.span.isRecording() ? deps.clock() : undefined;
  }

  /**
   * The context with this activity's span active (its log lines carry `activity_id`). Built on
   * first use: where no context manager carries contexts and you never read it, none is made.
   */
  get context(): Context {
    return (this.builtContext ??= activityContext(this.span.context, this.span.span, this.activityId, this.owner.propagates));
  }

  get batchId(): string {
    return this.owner.batchId;
  }

  /** Aborted when the batch is cancelled. */
  get signal(): AbortSignal {
    return this.owner.signal;
  }

  dataRetrieved(attributes?: Attributes): void {
    this.span.dataRetrieved(attributes);
  }

  calculated(result: { emissionsKg: number; factor?: number }): number {
    this.span.calculationsPerformed(result);
    const kg = result?.emissionsKg;
    // The last calculation is the activity's (a retried attempt calculates again).
    if (typeof kg === 'number' && kg >= 0 && kg < Infinity) {
      this.emissionsKg = kg;
      this.hasEmissions = true;
    }
    return kg;
  }

  stored(attributes?: Attributes): void {
    this.span.resultsStored(attributes);
  }

  event(name: string, attributes?: Attributes): void {
    this.span.event(name, attributes);
  }

  retry(error: unknown): void {
    if (this.ended) return this.deps.misuse(`act.retry(): activity ${this.activityId} of batch ${this.batchId} has ended; ignored`);
    const type = this.deps.metrics.recordError({ error });
    // Every attempt after the first is a retry; this one failed.
    if (this.attempts > 1) this.deps.metrics.recordRetry({ succeeded: false });
    this.span.event('retry', { attempt: this.attempts, [ATTRIBUTES.errorType]: type });
    this.attempts += 1;
  }

  fail(error: unknown): void {
    if (this.ended) return this.deps.misuse(`act.fail(): activity ${this.activityId} of batch ${this.batchId} has ended; ignored`);
    this.failure = error;
  }

  skip(reason?: string): void {
    if (this.ended) return this.deps.misuse(`act.skip(): activity ${this.activityId} of batch ${this.batchId} has ended; ignored`);
    this.skipped = reason;
  }

  end(): void {
    this.finish(NONE);
  }

  /** Ends the activity once; `thrown` is what its callback threw (NONE when it returned). */
  finish(thrown: unknown): void {
    if (this.ended) {
      this.deps.misuse(`activity ${this.activityId} of batch ${this.batchId} was ended twice; the second end was ignored`);
      return;
    }
    this.ended = true;
    const durationMs = this.started === undefined ? 0 : this.deps.clock() - this.started;
    const failure = thrown === NONE ? this.failure : thrown;
    if (this.skipped !== NONE) {
      this.span.event('activity.skipped', this.skipped === undefined ? undefined : { reason: this.skipped });
      this.span.end();
      this.owner.settled(this, undefined, 0);
      return;
    }
    const success = failure === NONE;
    if (this.counted && this.deps.metricsOn) {
      const { metrics } = this.deps;
      metrics.recordActivityProcessing({ success, durationMs });
      if (this.attempts > 1) metrics.recordRetry({ succeeded: success });
      if (!success) metrics.recordError({ error: failure });
    }
    this.owner.settled(this, this.counted ? success : undefined, success ? this.emissionsKg : 0);
    if (!success) this.span.fail(failure);
    // Untimed: the span does not record, so there are no attributes to pass.
    else if (this.started === undefined) this.span.end();
    else this.span.complete(this.hasEmissions ? { durationMs, emissionsKg: this.emissionsKg } : { durationMs });
  }
}
