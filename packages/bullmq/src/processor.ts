// The processor wrapper: every job runs inside `obs.batches.process`, so the batch metrics
// (started, completed, failed by error type, retries, processing duration, queue wait from
// `job.timestamp`), the `batch.processing` span in the submitter's trace, the audit records and
// the log fields all come from the lifecycle, and the callback gets the run handle.
import type { BatchCompletion, BatchLifecycle, BatchRun, ProcessRef } from '@ogf/observability';
import type { Job } from 'bullmq';
import { hasActiveSpan, readCarrier } from './carrier.js';
import { OgfError } from './errors.js';
import type { Report } from './errors.js';
import { jobRef } from './job-ref.js';

/** Options of `processor`. */
export interface ProcessorOptions<T = unknown, R = unknown, N extends string = string> {
  /** The worker slot (`worker.id` on spans, `worker_id` in logs). Default: `job.processedBy` (the worker's `name` option, BullMQ 6). */
  workerId?: string;
  /** Overrides what is read from the job (e.g. `{ id: job.data.uuid }`). */
  ref?: (job: Job<T, R, N>) => Partial<ProcessRef>;
  /** How the value your function returns becomes the completion (emissions, counts). */
  result?: (value: R) => BatchCompletion;
  /**
   * Take the worker's AbortSignal (BullMQ 6): `worker.cancelJob(id)` then cancels the run. BullMQ makes
   * an AbortController per job for a processor that declares a signal parameter, which costs about
   * 50 µs of CPU per job on Node 20 in a worker process, so, as in BullMQ, it is asked for. Default false.
   */
  cancellation?: boolean;
}

/** A BullMQ processor: `(job, token?, signal?) => Promise<R>`. */
export type WrappedProcessor<T = unknown, R = unknown, N extends string = string> = (
  job: Job<T, R, N>,
  token?: string,
  signal?: AbortSignal,
) => Promise<R>;

/** Your processor with the run handle: `(job, run) => result`. */
export type BatchProcessor<T = unknown, R = unknown, N extends string = string> = (job: Job<T, R, N>, run: BatchRun) => R | Promise<R>;

export function wrapProcessor<T, R, N extends string>(
  batches: BatchLifecycle,
  report: Report,
  fn: BatchProcessor<T, R, N>,
  options: ProcessorOptions<T, R, N>,
  track: (job: object) => void,
): WrappedProcessor<T, R, N> {
  const { workerId, ref: override, result, cancellation = false } = options;
  if (typeof cancellation !== 'boolean') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `processor(): cancellation must be true or false, got ${String(cancellation)}`);
  }
  // Built once: only a job with a cancellation signal needs an options object of its own.
  const resultOnly = result === undefined ? undefined : { result };
  const start = (job: Job<T, R, N>, signal: AbortSignal | undefined): Promise<R> => {
    track(job);
    const ref = jobRef(job as Job, workerId);
    // With `telemetry` on the worker, BullMQ's `process` span is active: it continued the job's
    // carrier (or started a new trace, reported, when the carrier was malformed), so
    // `batch.processing` nests under it. Otherwise the carrier is read here.
    if (!hasActiveSpan()) {
      const carrier = readCarrier(job, report);
      if (carrier !== undefined) ref.carrier = carrier;
    }
    const full = override === undefined ? ref : { ...ref, ...override(job) };
    const processOptions = signal === undefined ? resultOnly : result === undefined ? { signal } : { signal, result };
    return batches.process(full, (run) => fn(job, run), processOptions);
  };
  // BullMQ 6 passes an AbortSignal (and makes an AbortController per job) only to processors that
  // declare a third parameter: only with `cancellation: true` does the wrapper declare one.
  if (!cancellation) return (job: Job<T, R, N>, _token?: string): Promise<R> => start(job, undefined);
  return function processBatch(job: Job<T, R, N>, _token?: string, signal?: AbortSignal): Promise<R> {
    return start(job, signal);
  };
}
