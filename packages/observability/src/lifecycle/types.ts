// The lifecycle API's public shapes: what a batch and an activity are to it, the handles passed
// to your callbacks, and the options. One call per step records every signal: metrics, spans,
// audit records, and the batch/activity ids on every log line written inside.
import type { BatchMetrics } from '@ogf/metrics';
import type { ActivitySpan, BatchTracer, ProcessingSpan, SubmissionSpan } from '@ogf/tracing';
import type { Attributes, Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { OgfError } from '../errors.js';
import type { AuditLog } from '../logger.js';

/** A time: a Date (e.g. a database timestamp) or epoch milliseconds. */
export type Instant = Date | number;

/** A batch as `submit` sees it. */
export interface SubmitRef {
  id: string;
  orgId?: string;
  workspaceId?: string;
  /** Number of activities: `batch.size`, span attribute `batch.activity_count`. */
  activityCount: number;
}

/** A batch as `process` sees it: what the worker read from the job or the database row. */
export interface ProcessRef {
  id: string;
  orgId?: string;
  workspaceId?: string;
  /** Number of activities (span attribute `batch.activity_count`). */
  activityCount?: number;
  /** The worker slot: span attribute `worker.id`, log field `worker_id`, audit `worker_id`, idle time per worker. */
  workerId?: string;
  /** The submission's `sub.carrier` (an object, or its JSON text): the processing span joins that trace. */
  carrier?: unknown;
  /** When the batch was submitted: queue wait (`queue.wait.duration`) and latency (`batch.latency`) are measured from it. */
  submittedAt?: Instant;
  /** When the batch last entered the queue, for a requeued batch. Default: `submittedAt`. */
  enqueuedAt?: Instant;
  /** 1-based attempt number (BullMQ: `job.attemptsMade + 1`). Above 1 the run is a retry: `batch.retries` (+ `.success`). */
  attempt?: number;
}

/** One activity of a batch. */
export interface ActivityRef {
  id: string;
  /** What kind of record it is, e.g. `electricity` (`activity.type`). */
  type?: string;
}

/** What a completed batch amounts to; every field is optional. */
export interface BatchCompletion {
  /** Total emissions in kg CO2e. Default: the sum of the `act.calculated()` emissions of succeeded activities. */
  emissionsKg?: number;
  /** Span attributes only, e.g. when some activities were done by an earlier attempt. Default: this run's tally. */
  successCount?: number;
  errorCount?: number;
}

/** The handle `submit` passes to its callback. */
export interface Submission {
  readonly batchId: string;
  /** W3C trace context of the submission span, JSON-serialisable: store it with the batch and pass it to `process`. */
  readonly carrier: Record<string, string>;
  /** The context with the submission span active (a parent for your own spans). */
  readonly context: Context;
  /** The `batch.submission` span handle, for anything this handle does not cover. */
  readonly span: SubmissionSpan;
  /** Adds a span event to `batch.submission`. */
  event(name: string, attributes?: Attributes): void;
}

/** A submission started by hand (`startSubmission`): you end it. */
export interface ManualSubmission extends Submission {
  /** The batch is stored and queued: records the submission and `pending → queued`. Later calls report misuse. */
  queued(): void;
  /** Submitting failed: error counted, span ERROR, nothing queued. */
  fail(error: unknown): void;
}

/** The handle `run.activity` passes to its callback. */
export interface ActivityRun {
  readonly activityId: string;
  readonly batchId: string;
  /** Aborted when the batch is cancelled. */
  readonly signal: AbortSignal;
  /** The context with this activity's span active; built when first read. */
  readonly context: Context;
  readonly span: ActivitySpan;
  /** Event `data.retrieved`. */
  dataRetrieved(attributes?: Attributes): void;
  /**
   * Event `calculations.performed`; `emissionsKg` (the last call's, when a retried attempt
   * calculates again) adds to the batch's emissions when the activity succeeds. Returns
   * `emissionsKg`, so `return act.calculated({ emissionsKg: kg })` reads well.
   */
  calculated(result: { emissionsKg: number; factor?: number }): number;
  /** Event `results.stored`. */
  stored(attributes?: Attributes): void;
  /** Any other span event. */
  event(name: string, attributes?: Attributes): void;
  /**
   * An attempt failed and another follows: `batch.errors{error_type}`, span event `retry`. The
   * attempts after the first count as retries (`batch.retries`, `.success` when one succeeds).
   */
  retry(error: unknown): void;
  /** Marks the activity failed without throwing (e.g. a validation result); the callback's return value is kept. */
  fail(error: unknown): void;
  /** The result was already recorded (e.g. by an earlier attempt of the batch): span event, no metric moves. */
  skip(reason?: string): void;
}

/** An activity started by hand (`run.startActivity`): you end it. */
export interface ManualActivity extends ActivityRun {
  /** Ends the activity: failed if `fail()` was called, skipped after `skip()`, else succeeded. Later calls report misuse. */
  end(): void;
}

/** Options of `run.lock`. */
export interface LockOptions {
  /** Which lock of that name: default the batch's `orgId` (the per-organisation lock), else its id. */
  key?: string;
  /** How long to wait. Default: the lifecycle's `lockTimeoutMs`. */
  timeoutMs?: number;
  /**
   * Your own lock (Redis, PostgreSQL advisory locks): resolve a release function once held, or
   * `false` when it could not be taken in time. Default: an in-process lock per name and key.
   */
  acquire?: (signal: AbortSignal) => Promise<(() => void | Promise<void>) | false>;
}

/** The handle `process` passes to its callback. */
export interface BatchRun {
  readonly batchId: string;
  readonly workerId: string | undefined;
  readonly attempt: number;
  /** Aborted by `run.cancel()`, by `options.signal`, or on a lock wait that ends the run. Pass it to your I/O. */
  readonly signal: AbortSignal;
  /** The context with `batch.processing` active (and the log fields set). */
  readonly context: Context;
  readonly span: ProcessingSpan;
  /** Runs one activity in its span; records success or failure (and rethrows: you decide whether the batch goes on). */
  activity<R>(ref: ActivityRef, fn: (act: ActivityRun) => R): R;
  /** Starts an activity you end yourself (`act.end()`), for code that is not one callback. */
  startActivity(ref: ActivityRef): ManualActivity;
  /**
   * Takes the lock, runs `fn` while holding it, releases it. Records the wait, acquisition or
   * timeout (metrics and the `lock.acquisition` span). A timeout rejects with an OgfError
   * (code `ERR_OGF_LOCK_TIMEOUT`); catch it and call `run.requeue()` to retry the batch later.
   */
  lock<R>(name: string, fn: () => R | Promise<R>, options?: LockOptions): Promise<R>;
  /** Any span event on `batch.processing`. */
  event(name: string, attributes?: Attributes): void;
  /** Ends the run failed without throwing (e.g. every activity failed); the value returned is kept. */
  fail(error: unknown): void;
  /** Cancels the run: `run.signal` aborts; the run ends `cancelled` whatever the callback does next. */
  cancel(reason?: string): void;
  /** The batch goes back to the queue (e.g. its lock timed out): `processing → queued`, no outcome counted (with `attempt > 1`, a failed retry). */
  requeue(reason?: string): void;
}

/** A run started by hand (`startProcessing`): you end it. */
export interface ManualBatchRun extends BatchRun {
  /** Ends the run: the outcome set by `fail`/`cancel`/`requeue`, else completed with `completion`. Later calls report misuse. */
  end(completion?: BatchCompletion): void;
}

/** Options of `process`. */
export interface ProcessOptions<T> {
  /** How the value the callback returns becomes the completion (emissions, counts). */
  result?: (value: T) => BatchCompletion;
  /** Cancels the run when aborted (a BullMQ job's token, a shutdown signal). */
  signal?: AbortSignal;
}

/** Options of `createBatchLifecycle`. */
export interface BatchLifecycleOptions {
  metrics: BatchMetrics;
  tracer: BatchTracer;
  /** Where state transitions are audited. Default: `createAuditLog(logger)` when a logger is given, else none. */
  audit?: AuditLog;
  /** Writes a line per batch outcome (`batch completed` …); lines inside carry `batch_id`, `activity_id` and trace ids. */
  logger?: Logger;
  /** Misuse (a handle ended twice, an activity recorded twice) and recording problems. Default: OTel `diag.warn`. */
  onError?: (error: OgfError) => void;
  /**
   * `'tracked'` (default): `submit` adds to `queue.size` and `process` takes from it, for batches
   * submitted in this process only. `'external'`: never touched; set it from the queue itself
   * (`metrics.setQueueSize`), as you must when submitters and workers are different processes.
   */
  queue?: 'tracked' | 'external';
  /** Default wait for `run.lock`. Default 30 000 ms. */
  lockTimeoutMs?: number;
  /** Monotonic milliseconds, for durations. Default `performance.now`. */
  clock?: () => number;
  /** Epoch milliseconds, for queue wait and latency from `submittedAt`. Default `Date.now`. */
  now?: () => number;
}

/** One call per lifecycle step. Recording never throws; your callbacks' errors are rethrown unchanged. */
export interface BatchLifecycle {
  /** Runs `fn` (store and enqueue the batch) in `batch.submission`; on success records the submission and `pending → queued`. */
  submit<T>(ref: SubmitRef, fn: (sub: Submission) => T | Promise<T>): Promise<T>;
  /** `submit` for code that is not one callback: call `sub.queued()` or `sub.fail(error)`. */
  startSubmission(ref: SubmitRef): ManualSubmission;
  /**
   * Processes a batch: `queued → processing`, then `fn`, then completed / failed (fn threw:
   * classified, span ERROR, rethrown) / cancelled / requeued. Returns what `fn` returns.
   */
  process<T>(ref: ProcessRef, fn: (run: BatchRun) => T | Promise<T>, options?: ProcessOptions<T>): Promise<T>;
  /** `process` for code that is not one callback: call `run.end()` (after `fail`/`cancel`/`requeue` if it did not complete). */
  startProcessing(ref: ProcessRef, options?: { signal?: AbortSignal }): ManualBatchRun;
  /** A batch cancelled before any worker took it: `queued → cancelled`, `batch.cancelled`, latency, audit. */
  cancelQueued(ref: ProcessRef, reason?: string): void;
  /** Batches being processed by this lifecycle right now. */
  readonly inFlight: number;
  /** Resolves when no batch is being processed: a drain hook (`obs.addDrainHook('batches', () => obs.batches.idle())`). */
  idle(): Promise<void>;
}
