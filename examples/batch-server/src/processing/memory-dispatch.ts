// One process does everything: a bounded in-memory queue, a worker pool, in-process org locks.
// Batches live in the store, so a restart requeues whatever was unfinished.
import type { ServerConfig } from '../config.ts';
import { isTerminal } from '../domain/states.ts';
import { getBatch, unfinishedBatches } from '../store/batches.ts';
import type { Database } from '../store/database.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { createBatchRunner } from './batch-runner.ts';
import { createBoundedQueue } from './bounded-queue.ts';
import { QueueFullError, type Dispatch } from './dispatch.ts';
import { createFaultInjector } from './faults.ts';
import { createOrgLocks, LockTimeoutError } from './org-locks.ts';
import type { Transitioner } from './transitions.ts';
import { createWorkerPool } from './worker-pool.ts';

export function createMemoryDispatch(options: {
  config: ServerConfig;
  db: Database;
  telemetry: Telemetry;
  transitions: Transitioner;
}): Dispatch {
  const { config, db, telemetry, transitions } = options;
  const { batches, logger } = telemetry;
  let waiting = 0;
  const queue = createBoundedQueue({
    capacity: config.queueCapacity,
    onSizeChange: (delta) => telemetry.setQueueSize((waiting = Math.max(0, waiting + delta))),
  });
  const locks = createOrgLocks();
  const cancelRequests = new Set<string>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const runner = createBatchRunner({
    db,
    acquireLock: (key, timeoutMs) =>
      locks.acquire(key, timeoutMs).then(
        (release) => () => Promise.resolve(release()),
        (error: unknown) => {
          if (error instanceof LockTimeoutError) return false as const;
          throw error;
        },
      ),
    requeue(batchId, delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        queue.pushForced(batchId);
      }, delayMs);
      timers.add(timer);
    },
    cancelRequested: (batchId) => cancelRequests.has(batchId),
    telemetry,
    transitions,
    faults: createFaultInjector({ rate: config.faultRate, seed: config.faultSeed }),
    config,
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
      await recover();
      pool.start();
    },

    async submit(ref, store) {
      const reservation = queue.tryReserve();
      if (!reservation) {
        const perWorker = Math.ceil(queue.size / config.workers);
        throw new QueueFullError(Math.min(60, Math.max(1, Math.ceil((perWorker * runner.averageBatchMs) / 1000))));
      }
      try {
        // The submission span, its metrics and pending → queued; the carrier is stored with the batch.
        await batches.submit(ref, async (sub) => {
          await store(sub.carrier);
          reservation.commit(ref.id);
        });
      } catch (error) {
        reservation.release();
        throw error;
      }
    },

    removeQueued(batchId) {
      queue.remove(batchId);
      return Promise.resolve();
    },

    requestCancel: (batchId) => void cancelRequests.add(batchId),

    async drain() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await pool.drain();
    },

    get stats() {
      return { queueSize: queue.size, queueCapacity: queue.capacity, workersActive: pool.active, workers: config.workers };
    },
  };
}
