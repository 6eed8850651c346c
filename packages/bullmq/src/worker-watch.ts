// What `observe(worker)` records from the worker's events: stalled jobs (`bullmq.jobs.stalled`),
// worker errors (`bullmq.worker.errors`), and batches BullMQ failed without running a processor (a
// job past `maxStalledCount`, failed by the stalled checker, or past `maxStartedAttempts`):
// `batch.failed` and `batch.errors` with their error type. It also keeps what the worker health check judges: jobs in progress and stalls.
import type { Observability } from '@ogf/observability';
import type { Counter, Meter } from '@opentelemetry/api';
import type { Job, Worker } from 'bullmq';

/** The events this module listens to (a BullMQ Worker). */
export type WatchedWorker = Pick<Worker, 'name' | 'on' | 'off' | 'isRunning' | 'isPaused' | 'closing'>;

export interface WorkerWatch {
  /** Start times (epoch ms) of the jobs this worker is running now. */
  readonly running: ReadonlyMap<string, number>;
  /** Epoch ms of the stalled jobs this worker's checker found, newest last (bounded). */
  readonly stalls: readonly number[];
  readonly completed: number;
  readonly failed: number;
  close(): void;
}

const MAX_STALLS = 256;

/** BullMQ's reasons for failing a job without running it: `job stalled|started more than allowable limit`. */
const UNRUN = /more than allowable limit/;

export interface WatchParts {
  meter: Meter;
  metrics: Observability['metrics'];
  /** Whether the job went through a wrapped processor (its outcome is the lifecycle's). */
  wrapped: (job: object) => boolean;
  now: () => number;
}

const instruments = new WeakMap<Meter, { stalled: Counter; errors: Counter }>();

function countersOf(meter: Meter): { stalled: Counter; errors: Counter } {
  let found = instruments.get(meter);
  if (found === undefined) {
    found = {
      stalled: meter.createCounter('bullmq.jobs.stalled', {
        description: 'Jobs a worker found stalled (lock lost: the worker died or blocked its event loop) and moved back to wait or failed.',
        unit: '{job}',
      }),
      errors: meter.createCounter('bullmq.worker.errors', {
        description: 'Errors a BullMQ worker emitted (connection, lock renewal).',
        unit: '{error}',
      }),
    };
    instruments.set(meter, found);
  }
  return found;
}

export function watchWorker(worker: WatchedWorker, parts: WatchParts): WorkerWatch {
  const { stalled, errors } = countersOf(parts.meter);
  const attributes = { queue: worker.name };
  const running = new Map<string, number>();
  const stalls: number[] = [];
  const state = { completed: 0, failed: 0 };

  const onActive = (job: Job): void => void running.set(String(job.id), parts.now());
  const onCompleted = (job: Job): void => {
    running.delete(String(job.id));
    state.completed += 1;
  };
  const onFailed = (job: Job | undefined, error: Error): void => {
    if (job !== undefined) running.delete(String(job.id));
    state.failed += 1;
    // A job BullMQ failed without running a processor (stalled or started too often): the lifecycle
    // never saw that attempt end, so the batch failure is counted here.
    if (UNRUN.test(error?.message ?? '') && (job === undefined || !parts.wrapped(job))) {
      parts.metrics.recordBatchFailure({ error, ...(job?.timestamp ? { submittedAt: job.timestamp } : {}) });
      parts.metrics.recordError({ error });
    }
  };
  const onStalled = (jobId: string): void => {
    running.delete(String(jobId));
    stalled.add(1, attributes);
    stalls.push(parts.now());
    if (stalls.length > MAX_STALLS) stalls.shift();
  };
  const onError = (): void => errors.add(1, attributes);

  worker.on('active', onActive);
  worker.on('completed', onCompleted);
  worker.on('failed', onFailed);
  worker.on('stalled', onStalled);
  worker.on('error', onError);

  return {
    running,
    stalls,
    get completed() {
      return state.completed;
    },
    get failed() {
      return state.failed;
    },
    close() {
      worker.off('active', onActive);
      worker.off('completed', onCompleted);
      worker.off('failed', onFailed);
      worker.off('stalled', onStalled);
      worker.off('error', onError);
    },
  };
}
