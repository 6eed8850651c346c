import type { MeterProvider } from '@opentelemetry/api';
import type { ErrorClassifierRule } from './classify.js';
import type { OgfError } from './errors.js';
import type { RecordingMode } from './series.js';
import type { BatchState } from './states.js';

/** Options of `createBatchMetrics`; every one is optional. */
export interface BatchMetricsOptions {
  /** Where instruments come from. Default: the globally registered MeterProvider (no-op if none). */
  meterProvider?: MeterProvider;
  /** Instrumentation scope (meter) name. Default `'@ogf/metrics'`. */
  scopeName?: string;
  /** Instrumentation scope (meter) version. Default: none. */
  scopeVersion?: string;
  /** Receives invalid values and other recording problems. Default: OTel `diag.warn`. */
  onError?: (error: OgfError) => void;
  /** Worker slots in the pool, reported as `workers.capacity`. Default: not reported. */
  workerCapacity?: number;
  /** Your error rules, tried before the built-in ones; their types join the closed set. */
  errorClassifiers?: readonly ErrorClassifierRule[];
  /** The closed set of lock names; any other name is recorded as `'other'`. */
  lockNames?: readonly string[];
  /** Without `lockNames`: the first this-many distinct names are kept, later ones become `'other'`. Default 20. */
  maxLockNames?: number;
  /**
   * Which call moves the activity counters (`activity`, `activity.success`, `activity.failed`),
   * so nothing is counted twice. `'per-activity'` (default): `recordActivityProcessing`; the
   * counts passed to `recordBatchCompletion`/`recordBatchFailure` are ignored. `'per-batch'`:
   * those counts; `recordActivityProcessing` then records only `activity.duration`.
   */
  activityCounts?: 'per-activity' | 'per-batch';
  /**
   * `'tally'` (default): counters are local numbers read by observable instruments at collect
   * time (cheapest). `'instrument'`: synchronous SDK counters, each add goes through the SDK.
   */
  recording?: RecordingMode;
  /** Wall clock in epoch milliseconds, for the last-success gauge and latency. Default `Date.now`. */
  now?: () => number;
}

/** When a batch was submitted: a Date or epoch milliseconds. */
export type SubmittedAt = Date | number;

/**
 * Records the batch lifecycle. Every method is safe to call anywhere: none throws. The levels
 * `batch.processing`, `workers.active` and `queue.size` never go below zero: a decrement with
 * nothing to decrement (a completion without `recordBatchStarted`, say) is skipped and reported
 * once through `onError`.
 */
export interface BatchMetrics {
  /** False when there is no MeterProvider: every call is then a no-op. */
  readonly enabled: boolean;
  /** The meter (scope) name the instruments belong to. */
  readonly scopeName: string;
  /** Which call moves the activity counters (the `activityCounts` option). */
  readonly activityCounts: 'per-activity' | 'per-batch';
  /** A batch was submitted: `batch.submitted` +1 and its size into `batch.size`. */
  recordBatchSubmission(options: { activityCount: number }): void;
  /** How long submitting took, into `batch.submit.duration{success}`. */
  recordSubmitDuration(options: { durationMs: number; success: boolean }): void;
  /** A worker started processing a batch: `batch.processing` +1. */
  recordBatchStarted(): void;
  /**
   * A batch that was processing went back to the queue without an outcome (e.g. its lock timed
   * out and it will be retried): `batch.processing` -1, nothing else.
   */
  recordBatchRequeued(): void;
  /**
   * A batch completed: counters, duration, emissions, last success time, latency. `emissionsKg`
   * (kg CO2e) is recorded in grams, Prometheus' base unit; leave it out and no emissions are recorded.
   */
  recordBatchCompletion(options: {
    durationMs: number;
    emissionsKg?: number;
    successCount?: number;
    errorCount?: number;
    submittedAt?: SubmittedAt;
  }): void;
  /**
   * A batch failed: `batch.failed{error_type}` +1 and, when `durationMs` is given (it was
   * processing), duration and `batch.processing` -1. Returns the error type. Does not move
   * `batch.errors`: call `recordError` for that.
   */
  recordBatchFailure(options: {
    error: unknown;
    durationMs?: number;
    successCount?: number;
    errorCount?: number;
    submittedAt?: SubmittedAt;
  }): string;
  /** A batch was cancelled; give `durationMs` when it was processing (then `batch.processing` -1). */
  recordBatchCancellation(options?: { durationMs?: number; submittedAt?: SubmittedAt }): void;
  /** One activity was processed. */
  recordActivityProcessing(options: { success: boolean; durationMs: number }): void;
  /** A worker took a task: `workers.active` +1, and how long it had been idle. */
  recordWorkerBusy(options?: { idleMs?: number }): void;
  /** A worker finished a task: `workers.active` -1, and how long the task took. */
  recordWorkerIdle(options?: { taskMs?: number }): void;
  /** The pool was resized. */
  setWorkerCapacity(capacity: number): void;
  /** A lock wait ended, acquired or timed out. */
  recordLockAcquisition(options: { lock: string; waitMs: number; acquired: boolean }): void;
  /** Batches entered the queue: `queue.size` + count (default 1). */
  recordEnqueue(options?: { count?: number }): void;
  /** Batches left the queue: `queue.size` - count (default 1), and how long the batch waited. */
  recordDequeue(options?: { waitMs?: number; count?: number }): void;
  /** How long a batch waited in the queue, into `queue.wait.duration`; `queue.size` does not move. */
  recordQueueWait(options: { waitMs: number }): void;
  /** Sets `queue.size` to an absolute size (e.g. a count read from the database). */
  setQueueSize(size: number): void;
  /** An error occurred: `batch.errors{error_type}` +1. Takes an error or an error-type string; returns the type. */
  recordError(options: { error: unknown }): string;
  /** A retry attempt ended: `batch.retries` +1, and `batch.retries.success` +1 when it succeeded. */
  recordRetry(options: { succeeded: boolean }): void;
  /** A batch changed state; states outside BATCH_STATES are recorded as `'other'`. */
  recordStateTransition(options: { from: BatchState | (string & {}); to: BatchState | (string & {}) }): void;
  /** The error type `recordError` would record for this error. */
  classifyError(error: unknown): string;
  /** Errors recorded by `recordError` since creation, by type (OffGridFlow's `errors_by_type`). */
  errorsByType(): Record<string, number>;
}
