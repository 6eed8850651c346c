// The public shapes: what a batch, an activity and a lock are to the tracer, and the span
// handles it returns. Handles are thin: each method is one span event or attribute set, and every
// method is a no-op once the span has ended (or when nothing records it).
import type { Attributes, Context, Span, TextMapPropagator, TracerProvider } from '@opentelemetry/api';
import type { OgfError } from './errors.js';
import type { JobRelation } from './propagation.js';

/** A batch as the tracer sees it. IDs go on spans only, never on metrics. */
export interface BatchRef {
  id: string;
  orgId?: string;
  workspaceId?: string;
  /** Number of activities in the batch (`batch.activity_count`). */
  activityCount?: number;
  /** The worker processing the batch (`worker.id`). */
  workerId?: string;
}

/** One activity (business record) of a batch. */
export interface ActivityRef {
  id: string;
  batchId?: string;
  orgId?: string;
  /** What kind of record it is, e.g. `electricity` (`activity.type`). */
  type?: string;
  workerId?: string;
}

/** A lock, e.g. the per-organisation lock a batch takes before writing. */
export interface LockRef {
  /** The lock's name from a small closed set, e.g. `org` (`lock.name`). */
  name: string;
  orgId?: string;
  batchId?: string;
}

/** Per-span options for the `start…` and `with…` methods. */
export interface StartOptions {
  /** Parent: a context or a span handle. Default: the active context. */
  parent?: Context | TracedSpan;
  /** Extra attributes for the span, set at start (so samplers see them). */
  attributes?: Attributes;
}

/** What every span handle offers. */
export interface TracedSpan {
  /** The underlying OTel span (for anything this handle does not cover). */
  readonly span: Span;
  /** The context with this span active: pass it as a parent or to `context.with`. */
  readonly context: Context;
  /** Adds a named event (no-op after end or when the span is not recorded). */
  event(name: string, attributes?: Attributes): void;
  /** Event `worker.busy` with `worker.id`. */
  workerBusy(workerId: string): void;
  /** Event `worker.idle` with `worker.id` and `worker.idle_s`. */
  workerIdle(workerId: string, idleMs?: number): void;
  /**
   * Records the error (exception event with type, redacted message and stack), sets status ERROR
   * and `error.type`, and ends the span. Never throws.
   */
  fail(error: unknown): void;
  /** Ends the span; later calls, and calls after `complete`/`fail`, do nothing. */
  end(): void;
}

/** `batch.submission`. */
export interface SubmissionSpan extends TracedSpan {
  /** Event `batch.created`. */
  created(attributes?: Attributes): void;
  /** Event `activities.added`; sets `batch.activity_count`. */
  activitiesAdded(count: number): void;
  /** Event `batch.queued`, with `queue.size` when given. */
  queued(queueSize?: number): void;
  /** Records the submission's duration (`batch.duration_s`) and ends the span. */
  complete(result?: { durationMs?: number }): void;
}

/** The outcome of processing a batch. */
export interface BatchResult {
  successCount?: number;
  errorCount?: number;
  durationMs?: number;
  /** Total emissions of the batch in kg CO2e. */
  emissionsKg?: number;
}

/** `batch.processing`. */
export interface ProcessingSpan extends TracedSpan {
  /** Event `state.transition` with `batch.state.from` and `batch.state.to`. */
  stateTransition(from: string, to: string): void;
  /** Event `batch.completed` with counts, duration and emissions (also set on the span); ends it. */
  complete(result?: BatchResult): void;
}

/** `activity.processing`. */
export interface ActivitySpan extends TracedSpan {
  /** Event `data.retrieved`. */
  dataRetrieved(attributes?: Attributes): void;
  /** Event `calculations.performed`, with `emissions.kg_co2e` and `emission.factor` when given. */
  calculationsPerformed(result?: { emissionsKg?: number; factor?: number }): void;
  /** Event `results.stored`. */
  resultsStored(attributes?: Attributes): void;
  /** Sets `activity.duration_s` and `emissions.kg_co2e` when given, and ends the span. */
  complete(result?: { durationMs?: number; emissionsKg?: number }): void;
}

/** `lock.acquisition`: covers waiting for and holding the lock. */
export interface LockSpan extends TracedSpan {
  /** Event `lock.wait`: the lock is contended and the caller starts waiting. */
  waiting(): void;
  /** Event `lock.acquired`, with `lock.wait_s` when given. */
  acquired(waitMs?: number): void;
  /** Event `lock.released`, with `lock.held_s` when given; ends the span. */
  released(heldMs?: number): void;
  /** Status ERROR with `error.type` `timeout` (and `lock.wait_s`); ends the span. */
  timedOut(waitMs?: number): void;
}

/** Options for `createBatchTracer`. */
export interface BatchTracerOptions {
  /** Instrumentation scope (tracer) name. Default `'@ogf/tracing'`. */
  scopeName?: string;
  /** Instrumentation scope (tracer) version. Default: none. */
  scopeVersion?: string;
  /** Provider to take the tracer from. Default: the global one (`trace.getTracerProvider()`), resolved lazily. */
  tracerProvider?: TracerProvider;
  /** Propagator for `injectContext`/`extractContext`. Default: the global one if set, else W3C trace context + baggage. */
  propagator?: TextMapPropagator;
  /** How spans of extracted jobs relate to their submitter: `child` (default) or `link`. */
  jobRelation?: JobRelation;
  /** Told when tracing itself fails (a throwing propagator, say). Default: OTel's `diag.warn`. */
  onError?: (error: OgfError) => void;
}

/** Spans for every batch, activity and lock. Works as a cheap no-op when no SDK is registered. */
export interface BatchTracer {
  /** Starts `batch.submission` (not made active). */
  startBatchSubmissionSpan(batch: BatchRef, options?: StartOptions): SubmissionSpan;
  /** Starts `batch.processing` (not made active). */
  startBatchProcessingSpan(batch: BatchRef, options?: StartOptions): ProcessingSpan;
  /** Starts `activity.processing` (not made active). */
  startActivityProcessingSpan(activity: ActivityRef, options?: StartOptions): ActivitySpan;
  /** Starts `lock.acquisition` (not made active). */
  startLockAcquisitionSpan(lock: LockRef, options?: StartOptions): LockSpan;
  /** Runs `fn` with `batch.submission` active; ends it once; records and rethrows errors. */
  withBatchSubmission<R>(batch: BatchRef, fn: (span: SubmissionSpan) => R, options?: StartOptions): R;
  /** Runs `fn` with `batch.processing` active; ends it once; records and rethrows errors. */
  withBatchProcessing<R>(batch: BatchRef, fn: (span: ProcessingSpan) => R, options?: StartOptions): R;
  /** Runs `fn` with `activity.processing` active; ends it once; records and rethrows errors. */
  withActivityProcessing<R>(activity: ActivityRef, fn: (span: ActivitySpan) => R, options?: StartOptions): R;
  /**
   * Runs `fn` with `lock.acquisition` active; ends it once (recording `lock.released` if it was
   * acquired and not yet released); records and rethrows errors. Activity spans started inside
   * still become children of the enclosing `batch.processing`, as in OffGridFlow's tree.
   */
  withLockAcquisition<R>(lock: LockRef, fn: (span: LockSpan) => R, options?: StartOptions): R;
  /** Writes the given (default: active) context into a plain serialisable carrier. */
  injectContext(ctx?: Context): Record<string, string>;
  /** Restores a carrier's context; `relation` defaults to the tracer's `jobRelation`. */
  extractContext(carrier: unknown, options?: { relation?: JobRelation; base?: Context }): Context;
}
