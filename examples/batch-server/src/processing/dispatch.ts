// How a batch gets from the API to a worker. `memory`: a bounded in-process queue and a worker
// pool (one process does everything). `bullmq`: a BullMQ queue on Redis; api processes enqueue,
// worker processes anywhere take the jobs. The service (service.ts) sees only this interface.
import type { SubmitRef } from '@ogf/observability';

export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('the batch queue is full');
    this.name = 'QueueFullError';
  }
}

/** Submissions are refused while the server drains for shutdown: another instance (or this one, restarted) takes them. */
export class ShuttingDownError extends Error {
  readonly retryAfterSeconds = 5;
  constructor() {
    super('the server is shutting down');
    this.name = 'ShuttingDownError';
  }
}

export interface DispatchStats {
  /** Batches waiting (memory: this process's queue; bullmq: the shared queue, as last read). */
  queueSize: number;
  queueCapacity: number;
  workersActive: number;
  /** Worker slots of this process (0 in an api-only process). */
  workers: number;
}

export interface Dispatch {
  /** Starts taking batches; the memory queue first requeues what a crash left unfinished in the store. */
  start(): Promise<void>;
  /**
   * Submits a batch: inside the lifecycle's `batch.submission`, `store(carrier)` writes it to the
   * database, then it is enqueued. Throws QueueFullError (nothing stored) when the queue is full.
   */
  submit(ref: SubmitRef, store: (carrier: Record<string, string>) => Promise<void>): Promise<void>;
  /** The store moved a queued batch to `cancelled`: take it out of the queue. */
  removeQueued(batchId: string): Promise<void>;
  /** Cancellation of a running batch was requested (already flagged in the store). */
  requestCancel(batchId: string): void;
  /** Stops taking batches; resolves once the ones in flight have finished. */
  drain(): Promise<void>;
  readonly stats: DispatchStats;
}
