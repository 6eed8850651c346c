// Processes one queued batch on a worker through the lifecycle API: `batches.process` (queue wait,
// worker busy, queued → processing), `run.lock('org')` (requeue with backoff on timeout), the
// activities that have no result yet (`run.activity`), and one outcome. The store keeps its own
// state machine: its `processing` starts once the org lock is held.
import { isOgfError, type BatchRun, type ProcessRef } from '@ogf/observability';
import type { ServerConfig } from '../config.ts';
import type { BatchRecord } from '../domain/types.ts';
import type { Database } from '../store/database.ts';
import { bumpAttempts, getBatch } from '../store/batches.ts';
import { unprocessedActivities } from '../store/results.ts';
import { typedError, type Telemetry } from '../telemetry/telemetry.ts';
import { processActivity, typedFault } from './activity-step.ts';
import type { AcquireLock } from './advisory-locks.ts';
import type { QueueEntry } from './bounded-queue.ts';
import type { FaultInjector } from './faults.ts';
import { backoffDelay } from './retry.ts';
import type { Transitioner } from './transitions.ts';

export interface BatchRunnerDeps {
  db: Database;
  /** The per-organisation lock: in process, or a PostgreSQL advisory lock shared by every worker process. */
  acquireLock: AcquireLock;
  /** Sends a batch back to the queue after `delayMs` (its org lock timed out). */
  requeue(batchId: string, delayMs: number): void | Promise<void>;
  /** Whether someone asked to cancel the batch (in this process, or in the store from another one). */
  cancelRequested(batchId: string): boolean | Promise<boolean>;
  telemetry: Telemetry;
  transitions: Transitioner;
  faults: FaultInjector;
  config: ServerConfig;
}

export interface BatchRunner {
  /** Takes a batch from the in-memory queue and runs it in `batches.process`. */
  run(entry: QueueEntry, workerId: string): Promise<void>;
  /** Runs a batch inside a `batches.process` someone else started (a BullMQ job's); returns its counts. */
  runIn(run: BatchRun, batchId: string, workerId: string): Promise<Counts | undefined>;
  /** Mean processing time of recent batches, for Retry-After. */
  readonly averageBatchMs: number;
}

export interface Counts {
  successCount: number;
  errorCount: number;
}

/** What the lifecycle needs to know of a batch: ids, the submission's trace, and when it was queued. */
export function refOf(batch: BatchRecord, workerId?: string, enqueuedAt?: number): ProcessRef {
  return {
    id: batch.id,
    orgId: batch.orgId,
    ...(batch.workspaceId ? { workspaceId: batch.workspaceId } : {}),
    activityCount: batch.activityCount,
    ...(workerId ? { workerId } : {}),
    carrier: batch.traceCarrier,
    submittedAt: batch.createdAt,
    // The queue stamps entries with performance.now(); the lifecycle measures from wall-clock time.
    ...(enqueuedAt === undefined ? {} : { enqueuedAt: Date.now() - (performance.now() - enqueuedAt) }),
    attempt: batch.attempts + 1,
  };
}

export function createBatchRunner(deps: BatchRunnerDeps): BatchRunner {
  const { db, telemetry, transitions, config } = deps;
  const { batches, logger } = telemetry;
  let averageBatchMs = 1_000;

  function finished(batch: BatchRecord, state: string, counts: Counts & { emissionsKg: number }, processingMs: number): void {
    averageBatchMs = averageBatchMs * 0.8 + processingMs * 0.2;
    logger.info(
      { org_id: batch.orgId, state, success: counts.successCount, failed: counts.errorCount, emissions_kg: counts.emissionsKg },
      `batch ${state}`,
    );
  }

  async function onLockTimeout(batch: BatchRecord, run: BatchRun, workerId: string): Promise<void> {
    const attempts = await bumpAttempts(db, batch.id);
    if (attempts < config.lockAttempts) {
      run.requeue('lock_timeout');
      logger.info({ org_id: batch.orgId, attempts }, 'org lock timed out, batch requeued');
      await deps.requeue(batch.id, backoffDelay(attempts, { baseDelayMs: 100, maxDelayMs: 2_000 }));
      return;
    }
    const error = `org lock not acquired after ${attempts} attempts (timed out)`;
    if (await transitions.move(batch.id, 'queued', 'failed', { workerId, reason: 'lock_timeout', error })) {
      run.fail(typedError('timeout', error));
      finished(batch, 'failed', { successCount: 0, errorCount: 0, emissionsKg: 0 }, 0);
    } else {
      run.requeue('state changed while waiting for the lock');
    }
  }

  async function processLocked(batchId: string, run: BatchRun, workerId: string): Promise<Counts | undefined> {
    // Read again under the lock: another process may have moved it meanwhile.
    let batch = await getBatch(db, batchId);
    if (!batch) return undefined;
    if (batch.state === 'processing') {
      // Still `processing` while we hold its org's lock: the worker that ran it is gone (kill -9,
      // its job stalled and came back to us). Resume it: only the activities without a result run.
      if (!(await transitions.move(batch.id, 'processing', 'queued', { workerId, reason: 'resumed after worker loss' }))) {
        run.requeue('state changed while waiting for the lock');
        return undefined;
      }
      logger.info({ org_id: batch.orgId }, 'batch resumed after worker loss');
      batch = { ...batch, state: 'queued' };
    }
    const resumed = batch.startedAt !== null;
    if (!(await transitions.move(batch.id, 'queued', 'processing', { workerId, reason: resumed ? 'resumed' : 'started' }))) {
      // Cancelled (or taken by another worker) while this one waited for the lock.
      run.requeue('state changed while waiting for the lock');
      return undefined;
    }
    const started = performance.now();
    const pending = await unprocessedActivities(db, batch.id);
    run.span.span.setAttributes({ 'activities.pending': pending.length, resumed });
    let cancelled = false;
    try {
      for (const activity of pending) {
        if (await deps.cancelRequested(batch.id)) {
          cancelled = true;
          break;
        }
        await processActivity(deps, run, activity, workerId);
      }
    } catch (error) {
      const fault = typedFault(error);
      const latest = (await getBatch(db, batch.id)) ?? batch;
      await transitions.move(batch.id, 'processing', 'failed', { workerId, reason: fault.name, error: fault.message });
      run.fail(fault);
      const counts = { successCount: latest.successCount, errorCount: latest.failedCount };
      finished(batch, 'failed', { ...counts, emissionsKg: latest.totalEmissionsKg }, performance.now() - started);
      return counts;
    }
    const latest = (await getBatch(db, batch.id)) ?? batch;
    const processingMs = performance.now() - started;
    const counts = { successCount: latest.successCount, errorCount: latest.failedCount };
    const totals = { ...counts, emissionsKg: latest.totalEmissionsKg };
    if (cancelled || latest.cancelRequested) {
      if (await transitions.move(batch.id, 'processing', 'cancelled', { workerId, reason: 'cancel requested' })) {
        run.cancel('cancel requested');
        finished(batch, 'cancelled', totals, processingMs);
      }
      return counts;
    }
    const allFailed = latest.activityCount > 0 && latest.successCount === 0;
    const state = allFailed ? 'failed' : 'completed';
    const error = allFailed ? 'every activity failed' : undefined;
    if (await transitions.move(batch.id, 'processing', state, { workerId, reason: allFailed ? 'no activity succeeded' : 'done', error })) {
      if (allFailed) run.fail(typedError('validation', 'every activity failed'));
      finished(batch, state, totals, processingMs);
    }
    return counts;
  }

  async function underOrgLock(batch: BatchRecord, run: BatchRun, workerId: string): Promise<Counts | undefined> {
    try {
      return await run.lock('org', () => processLocked(batch.id, run, workerId), {
        key: batch.orgId,
        acquire: (signal) => deps.acquireLock(batch.orgId, config.lockTimeoutMs, signal),
      });
    } catch (error) {
      if (!isOgfError(error) || error.code !== 'ERR_OGF_LOCK_TIMEOUT') throw error;
      await onLockTimeout(batch, run, workerId);
      return undefined;
    }
  }

  async function run(entry: QueueEntry, workerId: string): Promise<void> {
    const batch = await getBatch(db, entry.batchId);
    if (!batch || batch.state !== 'queued') return;
    const ref = refOf(batch, workerId, entry.enqueuedAt);
    if (batch.cancelRequested || (await deps.cancelRequested(batch.id))) {
      if (await transitions.move(batch.id, 'queued', 'cancelled', { workerId, reason: 'cancel requested' })) {
        batches.cancelQueued(ref, 'cancel requested');
        logger.info({ batch_id: batch.id, org_id: batch.orgId, state: 'cancelled' }, 'batch cancelled');
      }
      return;
    }
    await batches.process(
      ref,
      (run) => underOrgLock(batch, run, workerId),
      // The span shows the whole batch's counts (a resumed batch has results from before the restart).
      { result: (counts) => counts ?? {} },
    );
  }

  async function runIn(run: BatchRun, batchId: string, workerId: string): Promise<Counts | undefined> {
    const batch = await getBatch(db, batchId);
    if (!batch || (batch.state !== 'queued' && batch.state !== 'processing')) {
      // Cancelled while queued (the API process counted it), finished by an earlier delivery of
      // this job, or never stored: nothing to do, and no outcome to count twice.
      run.requeue(batch ? `batch already ${batch.state}` : 'no such batch');
      return undefined;
    }
    if (batch.state === 'queued' && batch.cancelRequested) {
      if (await transitions.move(batch.id, 'queued', 'cancelled', { workerId, reason: 'cancel requested' })) {
        run.cancel('cancel requested');
        return { successCount: 0, errorCount: 0 };
      }
    }
    return underOrgLock(batch, run, workerId);
  }

  return {
    run,
    runIn,
    get averageBatchMs() {
      return averageBatchMs;
    },
  };
}
