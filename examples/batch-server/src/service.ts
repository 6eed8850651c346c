// The batch service: submission, reads, cancellation, recovery at start and draining at stop.
import { randomUUID } from 'node:crypto';
import type { ServerConfig } from './config.ts';
import type { BatchState } from './domain/states.ts';
import { isTerminal } from './domain/states.ts';
import type { ActivityInput, BatchRecord } from './domain/types.ts';
import { createBatchRunner, refOf } from './processing/batch-runner.ts';
import { createBoundedQueue } from './processing/bounded-queue.ts';
import { createFaultInjector } from './processing/faults.ts';
import { createOrgLocks } from './processing/org-locks.ts';
import { createTransitioner } from './processing/transitions.ts';
import { createWorkerPool } from './processing/worker-pool.ts';
import type { Database } from './store/database.ts';
import {
  createBatch,
  getBatch,
  listBatches,
  pruneFinishedBatches,
  requestCancel,
  unfinishedBatches,
  type BatchFilters,
} from './store/batches.ts';
import { activityErrors, batchTransitions, type ActivityError, type TransitionRow } from './store/results.ts';
import { migrate } from './store/schema.ts';
import type { Telemetry } from './telemetry/telemetry.ts';

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

export interface SubmitInput {
  orgId: string;
  workspaceId: string | null;
  activities: ActivityInput[];
}

export type CancelResult =
  | { outcome: 'cancelled'; batch: BatchRecord }
  | { outcome: 'cancelling'; batch: BatchRecord }
  | { outcome: 'finished'; batch: BatchRecord }
  | { outcome: 'not_found' };

export interface BatchService {
  start(): Promise<void>;
  submit(input: SubmitInput): Promise<{ batchId: string; state: BatchState }>;
  get(id: string): Promise<{ batch: BatchRecord; errors: ActivityError[]; transitions: TransitionRow[] } | undefined>;
  list(filters: BatchFilters): Promise<{ batches: BatchRecord[]; total: number }>;
  cancel(id: string): Promise<CancelResult>;
  /** Stops taking batches and waits for the ones in flight. */
  drain(): Promise<void>;
  /** Deletes finished batches older than the retention (RETENTION_MINUTES); returns how many. */
  prune(): Promise<number>;
  readonly stats: { queueSize: number; queueCapacity: number; workersActive: number; workers: number };
}

export function createBatchService(options: { config: ServerConfig; db: Database; telemetry: Telemetry }): BatchService {
  const { config, db, telemetry } = options;
  const { batches, logger } = telemetry;
  let waiting = 0;
  const queue = createBoundedQueue({
    capacity: config.queueCapacity,
    onSizeChange: (delta) => telemetry.setQueueSize((waiting = Math.max(0, waiting + delta))),
  });
  const transitions = createTransitioner(db);
  const cancelRequests = new Set<string>();
  const runner = createBatchRunner({
    db,
    queue,
    locks: createOrgLocks(),
    telemetry,
    transitions,
    faults: createFaultInjector({ rate: config.faultRate, seed: config.faultSeed }),
    config,
    cancelRequests,
  });
  const pool = createWorkerPool({
    size: config.workers,
    queue,
    handle: async (entry, workerId) => {
      try {
        await runner.run(entry, workerId);
      } finally {
        const latest = await getBatch(db, entry.batchId).catch(() => undefined);
        if (latest && isTerminal(latest.state)) cancelRequests.delete(entry.batchId);
      }
    },
    // Worker busy/idle time is recorded by batches.process; only unexpected failures are left.
    hooks: {
      onTaskError: (workerId, error) => {
        telemetry.recordError(error);
        logger.error({ worker_id: workerId, err: error instanceof Error ? error.message : String(error) }, 'batch task failed');
      },
    },
  });

  let draining = false;
  let pruneTimer: ReturnType<typeof setInterval> | undefined;
  let pruning: Promise<number> | undefined;

  async function prune(): Promise<number> {
    if (config.retentionMs === undefined) return 0;
    let deleted = 0;
    for (;;) {
      const batch = await pruneFinishedBatches(db, new Date(Date.now() - config.retentionMs));
      deleted += batch;
      if (batch === 0 || draining) break;
    }
    // PGlite runs no autovacuum: without VACUUM the deleted rows' space is never reused.
    if (deleted > 0 && db.kind === 'pglite') await db.query('VACUUM');
    if (deleted > 0) telemetry.logger.info({ deleted, retention_ms: config.retentionMs }, 'finished batches pruned');
    return deleted;
  }

  function prunePeriodically(): void {
    if (config.retentionMs === undefined) return;
    const every = Math.max(1_000, Math.min(60_000, Math.floor(config.retentionMs / 2)));
    pruneTimer = setInterval(() => {
      pruning ??= prune()
        .catch((error: unknown) => {
          telemetry.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'pruning finished batches failed');
          return 0;
        })
        .finally(() => (pruning = undefined));
    }, every);
    pruneTimer.unref();
  }

  async function recover(): Promise<void> {
    for (const batch of await unfinishedBatches(db)) {
      for (const [from, reason] of [
        ['processing', 'resumed after restart'],
        ['pending', 'recovered after restart'],
      ] as const) {
        if (batch.state === from && (await transitions.move(batch.id, from, 'queued', { reason })))
          telemetry.recordTransition(batch.id, from, 'queued', reason);
      }
      queue.pushForced(batch.id);
      logger.info({ batch_id: batch.id, org_id: batch.orgId, was: batch.state }, 'unfinished batch requeued');
    }
  }

  return {
    async start() {
      await migrate(db);
      await recover();
      pool.start();
      prunePeriodically();
    },

    async submit(input) {
      if (draining) throw new ShuttingDownError();
      const reservation = queue.tryReserve();
      if (!reservation) {
        const perWorker = Math.ceil(queue.size / config.workers);
        throw new QueueFullError(Math.min(60, Math.max(1, Math.ceil((perWorker * runner.averageBatchMs) / 1000))));
      }
      const batchId = randomUUID();
      const ref = {
        id: batchId,
        orgId: input.orgId,
        ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}),
        activityCount: input.activities.length,
      };
      try {
        // The submission span, its metrics and pending → queued; the carrier is stored with the batch.
        await batches.submit(ref, async (sub) => {
          await createBatch(db, {
            id: batchId,
            orgId: input.orgId,
            workspaceId: input.workspaceId,
            activities: input.activities,
            traceCarrier: sub.carrier,
          });
          reservation.commit(batchId);
        });
      } catch (error) {
        reservation.release();
        throw error;
      }
      logger.info({ batch_id: batchId, org_id: input.orgId, activities: input.activities.length }, 'batch queued');
      return { batchId, state: 'queued' };
    },

    async get(id) {
      const batch = await getBatch(db, id);
      if (!batch) return undefined;
      const [errors, history] = await Promise.all([activityErrors(db, id), batchTransitions(db, id)]);
      return { batch, errors, transitions: history };
    },

    list: (filters) => listBatches(db, filters),

    async cancel(id) {
      const batch = await getBatch(db, id);
      if (!batch) return { outcome: 'not_found' };
      if (isTerminal(batch.state)) return { outcome: 'finished', batch };
      if (batch.state === 'queued' || batch.state === 'pending') {
        if (await transitions.move(id, batch.state, 'cancelled', { reason: 'cancelled by request' })) {
          queue.remove(id);
          batches.cancelQueued(refOf(batch), 'cancelled by request');
          return { outcome: 'cancelled', batch: (await getBatch(db, id)) ?? batch };
        }
      }
      // Running (or picked up while we looked): the worker stops before its next activity.
      cancelRequests.add(id);
      await requestCancel(db, id);
      const latest = (await getBatch(db, id)) ?? batch;
      return isTerminal(latest.state) ? { outcome: 'finished', batch: latest } : { outcome: 'cancelling', batch: latest };
    },

    async drain() {
      draining = true;
      clearInterval(pruneTimer);
      runner.stop();
      await Promise.all([pool.drain(), pruning]);
    },

    prune,

    get stats() {
      return { queueSize: queue.size, queueCapacity: queue.capacity, workersActive: pool.active, workers: config.workers };
    },
  };
}
