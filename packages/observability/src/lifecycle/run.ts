// One processing run of a batch: `queued → processing` at the start (queue wait, worker busy,
// `batch.processing` +1), activities and locks in between, and exactly one outcome at the end
// (completed, failed, cancelled or requeued), each recorded on every signal before the span ends.
import type { ProcessingSpan } from '@ogf/tracing';
import { context } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { ActivityHandle } from './activity.js';
import { ActivityIds } from './activity-ids.js';
import type { ActivityOwner } from './activity.js';
import { runLocked } from './lock-step.js';
import { withLogFields } from './log-fields.js';
import { NONE, epochMs, isThenable } from './shared.js';
import type { Deps } from './shared.js';
import type { ActivityRef, BatchCompletion, LockOptions, ManualActivity, ManualBatchRun, ProcessRef } from './types.js';

type Requested = { kind: 'cancel' | 'requeue'; reason: string | undefined } | undefined;

function parseCarrier(deps: Deps, carrier: unknown): unknown {
  if (typeof carrier !== 'string') return carrier;
  try {
    return JSON.parse(carrier) as unknown;
  } catch (error) {
    deps.misuse(`process(): carrier is a string but not JSON (${String(error)}); the batch starts a new trace`, error);
    return undefined;
  }
}

export class BatchRunHandle implements ManualBatchRun, ActivityOwner {
  readonly batchId: string;
  readonly orgId: string | undefined;
  readonly workerId: string | undefined;
  readonly attempt: number;
  readonly span: ProcessingSpan;
  readonly deps: Deps;
  readonly propagates: boolean;
  /**
   * The start options of every activity and lock span (one object per run, not per activity);
   * its `parent` is the context the run's own calls run in.
   */
  readonly childOptions: { parent: Context };
  private logContext: Context | undefined;
  private controller: AbortController | undefined;
  /** When the run started; undefined when nothing records its duration (no metrics, span not recording). */
  private readonly started: number | undefined;
  private readonly submittedAt: number | undefined;
  private readonly external: AbortSignal | undefined;
  private readonly onExternalAbort = (): void => this.cancel('signal aborted');
  private readonly seen: ActivityIds;
  /** Manual activities not ended yet (callback activities end when their callback settles). */
  private open: Set<ActivityHandle> | undefined;
  private heldLocks: Set<string> | undefined;
  private requested: Requested;
  private failure: unknown = NONE;
  private succeeded = 0;
  private failed = 0;
  private emissionsKg = 0;
  private ended = false;

  constructor(deps: Deps, ref: ProcessRef, signal: AbortSignal | undefined) {
    this.deps = deps;
    this.batchId = ref.id;
    this.seen = new ActivityIds(ref.activityCount);
    this.orgId = ref.orgId;
    this.workerId = ref.workerId;
    this.attempt = typeof ref.attempt === 'number' && ref.attempt >= 1 ? ref.attempt : 1;
    this.submittedAt = epochMs(ref.submittedAt);
    this.propagates = deps.contextsPropagate();
    const { metrics, tracer } = deps;

    const parent = ref.carrier === undefined ? context.active() : tracer.extractContext(parseCarrier(deps, ref.carrier));
    this.span = tracer.startBatchProcessingSpan(
      { id: ref.id, orgId: ref.orgId, workspaceId: ref.workspaceId, activityCount: ref.activityCount, workerId: ref.workerId },
      { parent },
    );
    // The log fields only reach log lines through a context manager: without one, the context
    // that carries them is built only if you read `run.context`.
    if (this.propagates) this.logContext = this.withLogFields();
    this.childOptions = { parent: this.logContext ?? this.span.context };

    deps.dequeue(ref.id);
    const queuedAt = epochMs(ref.enqueuedAt) ?? this.submittedAt;
    const idleMs = deps.workerBusy(ref.workerId);
    // With the span active: the queue wait and idle time take this batch's trace as exemplar.
    if (ref.workerId !== undefined) this.span.workerBusy(ref.workerId);
    deps.began();
    // Without a context manager `context.with` only calls its function: call it directly.
    if (this.propagates) context.with(this.childOptions.parent, () => this.begin(queuedAt, idleMs));
    else this.begin(queuedAt, idleMs);
    metrics.recordBatchStarted();
    this.started = deps.metricsOn || this.span.span.isRecording() ? deps.clock() : undefined;

    this.external = signal;
    if (signal?.aborted) this.cancel('signal aborted');
    else signal?.addEventListener('abort', this.onExternalAbort, { once: true });
  }

  /** The start's records, in the run's context: queue wait and idle time (exemplar: this trace), `queued → processing`. */
  private begin(queuedAt: number | undefined, idleMs: number | undefined): void {
    const { deps } = this;
    if (queuedAt !== undefined && deps.metricsOn) deps.metrics.recordQueueWait({ waitMs: Math.max(0, deps.now() - queuedAt) });
    deps.metrics.recordWorkerBusy(idleMs === undefined ? undefined : { idleMs });
    this.transition('queued', 'processing', this.attempt > 1 ? `attempt ${this.attempt}` : undefined);
  }

  private transition(from: string, to: string, reason: string | undefined): void {
    this.deps.transition(this.batchId, from, to, { workerId: this.workerId, reason, span: this.span, ctx: this.childOptions.parent });
  }

  /** The context with `batch.processing` active and the log fields set. */
  get context(): Context {
    return (this.logContext ??= this.withLogFields());
  }

  private withLogFields(): Context {
    return withLogFields(
      this.span.context,
      this.workerId === undefined ? { batch_id: this.batchId } : { batch_id: this.batchId, worker_id: this.workerId },
    );
  }

  /** Created on first use: most runs never look at it. */
  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  // ActivityOwner
  admit(activity: ActivityHandle, manual: boolean): boolean {
    if (manual) (this.open ??= new Set()).add(activity);
    if (this.ended) {
      this.deps.misuse(`activity ${activity.activityId} started after batch ${this.batchId} ended; it is traced but not counted`);
      return false;
    }
    if (!this.seen.add(activity.activityId)) {
      this.deps.misuse(
        `activity ${activity.activityId} was already recorded in this run of batch ${this.batchId}; it is traced but not counted again`,
      );
      return false;
    }
    return true;
  }

  settled(activity: ActivityHandle, success: boolean | undefined, emissionsKg: number): void {
    this.open?.delete(activity);
    if (success === true) {
      this.succeeded += 1;
      this.emissionsKg += emissionsKg;
    } else if (success === false) {
      this.failed += 1;
    }
  }

  activity<R>(ref: ActivityRef, fn: (act: ActivityHandle) => R): R {
    const act = new ActivityHandle(this, ref, false);
    let result: R;
    try {
      // Without a context manager `context.with` only calls `fn`: skip it, and the activity's
      // context is never built (the callback cannot see one).
      result = this.propagates ? context.with(act.context, fn, undefined, act) : fn(act);
    } catch (error) {
      act.finish(error);
      throw error;
    }
    if (!isThenable(result)) {
      act.finish(NONE);
      return result;
    }
    // Native promises only: they call one handler once, so the slot is freed exactly once.
    if (this.awaited === undefined && result instanceof Promise) {
      // The usual case, one async activity at a time: the run's own handlers end it, so no
      // closures are made per activity; a second concurrent one takes the closures below.
      this.awaited = act;
      return result.then(this.onAwaitedValue, this.onAwaitedError) as R;
    }
    return result.then(
      (value) => {
        act.finish(NONE);
        return value;
      },
      (error: unknown) => {
        act.finish(error);
        throw error;
      },
    ) as R;
  }

  private awaited: ActivityHandle | undefined;
  private readonly onAwaitedValue = <T>(value: T): T => {
    const act = this.awaited!;
    this.awaited = undefined;
    act.finish(NONE);
    return value;
  };
  private readonly onAwaitedError = (error: unknown): never => {
    const act = this.awaited!;
    this.awaited = undefined;
    act.finish(error);
    throw error;
  };

  startActivity(ref: ActivityRef): ManualActivity {
    return new ActivityHandle(this, ref, true);
  }

  lock<R>(name: string, fn: () => R | Promise<R>, options?: LockOptions): Promise<R> {
    if (this.ended || this.heldLocks?.has(name)) {
      this.deps.misuse(
        this.ended
          ? `run.lock('${name}') after batch ${this.batchId} ended: fn runs without the lock`
          : `run.lock('${name}') inside run.lock('${name}') of batch ${this.batchId}: fn runs in the lock already held`,
      );
      return Promise.resolve().then(fn);
    }
    const held = (this.heldLocks ??= new Set());
    held.add(name);
    return runLocked(this.deps, this, name, fn, options, held);
  }

  event(name: string, attributes?: Attributes): void {
    this.span.event(name, attributes);
  }

  fail(error: unknown): void {
    if (this.ended) return this.deps.misuse(`run.fail(): batch ${this.batchId} has ended; ignored`);
    this.failure = error;
  }

  cancel(reason?: string): void {
    if (this.ended) return this.deps.misuse(`run.cancel(): batch ${this.batchId} has ended; ignored`);
    if (this.requested === undefined) this.requested = { kind: 'cancel', reason };
    (this.controller ??= new AbortController()).abort(reason ?? 'cancelled');
  }

  requeue(reason?: string): void {
    if (this.ended) return this.deps.misuse(`run.requeue(): batch ${this.batchId} has ended; ignored`);
    if (this.requested?.kind !== 'cancel') this.requested = { kind: 'requeue', reason };
  }

  end(completion?: BatchCompletion): void {
    this.finish(NONE, completion);
  }

  /**
   * Records the one outcome; `thrown` is what the callback threw (NONE when it returned). Runs with
   * `batch.processing` active, so the durations it records take this batch's trace as exemplar.
   */
  finish(thrown: unknown, completion: BatchCompletion | undefined): void {
    if (this.propagates) context.with(this.childOptions.parent, () => this.finishInContext(thrown, completion));
    else this.finishInContext(thrown, completion);
  }

  private finishInContext(thrown: unknown, completion: BatchCompletion | undefined): void {
    if (this.ended) {
      this.deps.misuse(`batch ${this.batchId} was ended twice; the second end was ignored`);
      return;
    }
    this.ended = true;
    this.external?.removeEventListener('abort', this.onExternalAbort);
    if (this.open !== undefined && this.open.size > 0) {
      this.deps.misuse(`batch ${this.batchId} ended with ${this.open.size} activities still open; they are recorded as failed`);
      for (const activity of [...this.open]) activity.finish(new Error('the batch ended before this activity did'));
    }
    const { deps } = this;
    const { metrics } = deps;
    const durationMs = this.started === undefined ? 0 : deps.clock() - this.started;
    const submittedAt = this.submittedAt;
    // Under `activityCounts: 'per-batch'` the completion or failure moves the activity counters.
    const successCount = deps.perBatchCounts ? this.succeeded : undefined;
    const errorCount = deps.perBatchCounts ? this.failed : undefined;
    const requested = this.requested;
    const failure = thrown === NONE ? this.failure : thrown;

    if (requested?.kind === 'requeue') {
      this.transition('processing', 'queued', requested.reason);
      metrics.recordBatchRequeued();
      if (this.attempt > 1) metrics.recordRetry({ succeeded: false });
      this.span.event('batch.requeued', requested.reason === undefined ? undefined : { reason: requested.reason });
      this.span.end();
      deps.enqueue(this.batchId);
    } else if (requested?.kind === 'cancel') {
      this.transition('processing', 'cancelled', requested.reason);
      metrics.recordBatchCancellation({ durationMs, submittedAt });
      this.span.event('batch.cancelled', requested.reason === undefined ? undefined : { reason: requested.reason });
      this.span.end();
    } else if (failure !== NONE) {
      const type = metrics.recordBatchFailure({ error: failure, durationMs, submittedAt, successCount, errorCount });
      metrics.recordError({ error: failure });
      this.transition('processing', 'failed', type);
      if (this.attempt > 1) metrics.recordRetry({ succeeded: false });
      this.span.fail(failure);
    } else {
      const emissionsKg = completion?.emissionsKg ?? this.emissionsKg;
      this.transition('processing', 'completed', undefined);
      metrics.recordBatchCompletion({ durationMs, emissionsKg, submittedAt, successCount, errorCount });
      if (this.attempt > 1) metrics.recordRetry({ succeeded: true });
      this.span.complete({
        successCount: completion?.successCount ?? this.succeeded,
        errorCount: completion?.errorCount ?? this.failed,
        durationMs,
        emissionsKg,
      });
    }
    metrics.recordWorkerIdle({ taskMs: durationMs });
    deps.workerIdle(this.workerId);
    deps.ended();
  }
}
