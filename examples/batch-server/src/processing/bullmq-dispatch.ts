// Distributed: batches wait in a BullMQ queue on Redis. An api process stores a batch in
// PostgreSQL and enqueues it with @ogf/bullmq's `submit` (the job carries the submission's trace);
// worker processes, on any machine, run each job through @ogf/bullmq's `processor`, which wraps it
// in `obs.batches.process` and hands the batch runner its `run`. The org lock is a PostgreSQL
// advisory lock, cancellation is a flag in PostgreSQL, and a worker that dies mid-batch loses its
// job lock: BullMQ's stalled-job check gives the job to another worker, which resumes the batch.
import { createBullMQObservability } from '@ogf/bullmq';
import type { Observability } from '@ogf/observability';
import { Queue, Worker, type Job } from 'bullmq';
import type { ServerConfig } from '../config.ts';
import { deleteBatch, getBatch } from '../store/batches.ts';
import type { PostgresDatabase } from '../store/postgres.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { createAdvisoryLocks } from './advisory-locks.ts';
import { createBatchRunner } from './batch-runner.ts';
import { QueueFullError, type Dispatch } from './dispatch.ts';
import { createFaultInjector } from './faults.ts';
import { redisConnection } from './redis-connection.ts';
import type { Transitioner } from './transitions.ts';

/** The one queue every api and worker process shares. */
export const QUEUE_NAME = 'batches';

/** What a job carries: the batch lives in PostgreSQL; the rest is for the lifecycle's ref. */
export interface BatchJob {
  batchId: string;
  orgId: string;
  activityCount: number;
}

export function createBullMQDispatch(options: {
  config: ServerConfig;
  db: PostgresDatabase;
  obs: Observability;
  telemetry: Telemetry;
  transitions: Transitioner;
}): Dispatch {
  const { config, db, obs, telemetry, transitions } = options;
  const { logger } = telemetry;
  const connection = redisConnection(config.redisUrl!);
  const bull = createBullMQObservability({ obs });
  const queue = new Queue<BatchJob, unknown, 'batch'>(QUEUE_NAME, { connection, telemetry: bull.telemetry });
  // Every process reads the queue's counts at scrape time (max by (queue) across processes) and
  // fails readiness while Redis is unreachable (the `bullmq:batches:redis` check).
  bull.observe(queue, {
    thresholds: { backlog: { degradedAbove: Math.floor(config.queueCapacity * 0.8), unhealthyAbove: config.queueCapacity - 1 } },
  });
  let lastCount = 0;
  const active = new Map<string, Job<BatchJob>>();
  const workerId = config.instanceId;

  const runner = createBatchRunner({
    db,
    acquireLock: createAdvisoryLocks(db).acquire,
    async requeue(batchId, delayMs) {
      // The job in hand completes (its run ended `requeued`); a delayed copy, carrying the same trace, takes its place.
      const job = active.get(batchId);
      const data = job?.data ?? (await jobDataOf(batchId));
      if (!data) return;
      await queue.add('batch', data, {
        jobId: `${batchId}.${Date.now()}`,
        delay: delayMs,
        ...(job?.opts.telemetry ? { telemetry: job.opts.telemetry } : {}),
      });
    },
    // Cancellation is requested through any api process: the flag in PostgreSQL is the truth.
    cancelRequested: async (batchId) => (await getBatch(db, batchId))?.cancelRequested ?? false,
    telemetry,
    transitions,
    faults: createFaultInjector({ rate: config.faultRate, seed: config.faultSeed }),
    config,
  });

  async function jobDataOf(batchId: string): Promise<BatchJob | undefined> {
    const batch = await getBatch(db, batchId);
    return batch && { batchId, orgId: batch.orgId, activityCount: batch.activityCount };
  }

  const worker =
    config.role === 'api'
      ? undefined
      : new Worker<BatchJob>(
          QUEUE_NAME,
          bull.processor<BatchJob>(
            async (job, run) => {
              active.set(job.data.batchId, job);
              try {
                return await runner.runIn(run, job.data.batchId, workerId);
              } finally {
                active.delete(job.data.batchId);
              }
            },
            { workerId, result: (counts) => (counts as { successCount: number; errorCount: number } | undefined) ?? {} },
          ),
          {
            connection: { ...connection, maxRetriesPerRequest: null },
            telemetry: bull.telemetry,
            concurrency: config.workers,
            lockDuration: config.bullmqLockDurationMs,
            stalledInterval: config.bullmqStalledIntervalMs,
            maxStalledCount: 2,
            name: workerId,
            autorun: false,
          },
        );
  if (worker) {
    bull.observe(worker);
    worker.on('error', (error) => logger.warn({ err: error.message }, 'bullmq worker error'));
  }

  return {
    start() {
      // worker.run() resolves only when the worker closes.
      if (worker) void worker.run().catch((error: unknown) => logger.error({ err: String(error) }, 'bullmq worker stopped'));
      return Promise.resolve();
    },

    async submit(ref, store) {
      lastCount = await queue.count();
      if (lastCount >= config.queueCapacity) throw new QueueFullError(5);
      const data: BatchJob = { batchId: ref.id, orgId: ref.orgId ?? '', activityCount: ref.activityCount };
      // Stored first, so whichever worker takes the job finds the batch; the trace travels in the job.
      await store({});
      try {
        await bull.submit(queue, ref, 'batch', data, {
          jobId: ref.id,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1_000 },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        });
      } catch (error) {
        // Not enqueued: the submission fails as a whole (the client retries), nothing half-done stays.
        await deleteBatch(db, ref.id).catch(() => {});
        throw error;
      }
    },

    async removeQueued(batchId) {
      // A job a worker holds cannot be removed; that worker finds the batch cancelled and skips it.
      await queue.remove(batchId).catch(() => 0);
    },

    requestCancel() {
      // The flag is in PostgreSQL already; workers read it before each activity.
    },

    async drain() {
      // Jobs in flight finish; the ones waiting stay in Redis for the other workers.
      await worker?.close();
      bull.close();
      await queue.close();
    },

    get stats() {
      return {
        queueSize: lastCount,
        queueCapacity: config.queueCapacity,
        workersActive: active.size,
        workers: worker ? config.workers : 0,
      };
    },
  };
}
