// Processes one queued batch on a worker: take the org lock (requeue with backoff on timeout),
// move to processing, run the activities that have no result yet, finish in a terminal state.
import type { ServerConfig } from '../config.ts';
import type { BatchRecord } from '../domain/types.ts';
import type { Database } from '../store/database.ts';
import { bumpAttempts, getBatch } from '../store/batches.ts';
import { unprocessedActivities } from '../store/results.ts';
import type { BatchInfo, BatchOutcome, SpanScope, Telemetry } from '../telemetry/telemetry.ts';
import { processActivity } from './activity-step.ts';
import type { BoundedQueue, QueueEntry } from './bounded-queue.ts';
import { TransientError, type FaultInjector } from './faults.ts';
import { LockTimeoutError, type OrgLocks } from './org-locks.ts';
import { backoffDelay } from './retry.ts';
import type { Transitioner } from './transitions.ts';

export interface BatchRunnerDeps {
  db: Database;
  queue: BoundedQueue;
  locks: OrgLocks;
  telemetry: Telemetry;
  transitions: Transitioner;
  faults: FaultInjector;
  config: ServerConfig;
  /** Batches whose cancellation was requested while they run. */
  cancelRequests: Set<string>;
}

export interface BatchRunner {
  run(entry: QueueEntry, workerId: string): Promise<void>;
  /** Stops pending requeue timers (shutdown); the batches stay queued in the store. */
  stop(): void;
  /** Mean processing time of recent batches, for Retry-After. */
  readonly averageBatchMs: number;
}

function infoOf(batch: BatchRecord): BatchInfo {
  return { batchId: batch.id, orgId: batch.orgId, workspaceId: batch.workspaceId, activityCount: batch.activityCount };
}

export function createBatchRunner(deps: BatchRunnerDeps): BatchRunner {
  const { db, queue, locks, telemetry, transitions, config } = deps;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let averageBatchMs = 1_000;

  function requeueLater(batchId: string, attempt: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      queue.pushForced(batchId);
    }, backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 2_000 }));
    timers.add(timer);
  }

  async function onLockTimeout(batch: BatchRecord, span: SpanScope, workerId: string): Promise<void> {
    telemetry.error('lock_timeout');
    if (batch.attempts > 0) telemetry.retryEnded(false);
    const attempts = await bumpAttempts(db, batch.id);
    if (attempts < config.lockAttempts) {
      telemetry.logger.info({ batch_id: batch.id, org_id: batch.orgId, attempts }, 'org lock timed out, batch requeued');
      requeueLater(batch.id, attempts);
      return;
    }
    const error = `org lock not acquired after ${attempts} attempts`;
    if (await transitions.move(batch.id, 'queued', 'failed', { workerId, reason: 'lock_timeout', error, span })) {
      finish(batch, { state: 'failed', wasProcessing: false, processingMs: 0, successCount: 0, failedCount: 0, emissionsKg: 0, errorType: 'lock_timeout' });
      span.fail('lock_timeout', error);
    }
  }

  function finish(batch: BatchRecord, outcome: Omit<BatchOutcome, 'latencyMs'>): void {
    const latencyMs = Math.max(0, Date.now() - batch.createdAt.getTime());
    telemetry.processingFinished(infoOf(batch), { ...outcome, latencyMs });
    averageBatchMs = averageBatchMs * 0.8 + outcome.processingMs * 0.2;
    telemetry.logger.info(
      { batch_id: batch.id, org_id: batch.orgId, state: outcome.state, success: outcome.successCount, failed: outcome.failedCount, emissions_kg: outcome.emissionsKg },
      `batch ${outcome.state}`,
    );
  }

  async function processLocked(batch: BatchRecord, span: SpanScope, workerId: string): Promise<void> {
    const resumed = batch.startedAt !== null;
    if (!(await transitions.move(batch.id, 'queued', 'processing', { workerId, reason: resumed ? 'resumed' : 'started', span }))) return;
    if (batch.attempts > 0) telemetry.retryEnded(true);
    telemetry.processingStarted(infoOf(batch));
    const started = performance.now();
    const pending = await unprocessedActivities(db, batch.id);
    span.setAttributes({ 'activities.pending': pending.length, resumed });
    let cancelled = false;
    try {
      for (const activity of pending) {
        if (deps.cancelRequests.has(batch.id)) {
          cancelled = true;
          break;
        }
        await processActivity(deps, { batchId: batch.id, orgId: batch.orgId }, activity, workerId);
      }
    } catch (error) {
      const errorType = error instanceof TransientError ? error.errorType : 'internal';
      const message = error instanceof Error ? error.message : String(error);
      telemetry.error(errorType);
      const latest = (await getBatch(db, batch.id)) ?? batch;
      await transitions.move(batch.id, 'processing', 'failed', { workerId, reason: errorType, error: message, span });
      span.fail(errorType, message);
      finish(batch, { state: 'failed', wasProcessing: true, processingMs: performance.now() - started, successCount: latest.successCount, failedCount: latest.failedCount, emissionsKg: latest.totalEmissionsKg, errorType });
      return;
    }
    const latest = (await getBatch(db, batch.id)) ?? batch;
    const processingMs = performance.now() - started;
    const counts = { successCount: latest.successCount, failedCount: latest.failedCount, emissionsKg: latest.totalEmissionsKg };
    if (cancelled || latest.cancelRequested) {
      if (await transitions.move(batch.id, 'processing', 'cancelled', { workerId, reason: 'cancel requested', span })) {
        finish(batch, { state: 'cancelled', wasProcessing: true, processingMs, ...counts });
      }
      return;
    }
    const allFailed = latest.activityCount > 0 && latest.successCount === 0;
    const state = allFailed ? 'failed' : 'completed';
    const error = allFailed ? 'every activity failed' : undefined;
    if (await transitions.move(batch.id, 'processing', state, { workerId, reason: allFailed ? 'no activity succeeded' : 'done', error, span })) {
      span.setAttributes({ 'batch.success_count': counts.successCount, 'batch.failed_count': counts.failedCount, 'emissions.kg': counts.emissionsKg });
      span.event('batch.completed', { state, success_count: counts.successCount, failed_count: counts.failedCount, 'emissions.kg': counts.emissionsKg });
      if (allFailed) span.fail('validation', 'every activity failed');
      finish(batch, { state, wasProcessing: true, processingMs, ...counts, ...(allFailed ? { errorType: 'validation' } : {}) });
    }
  }

  async function run(entry: QueueEntry, workerId: string): Promise<void> {
    const batch = await getBatch(db, entry.batchId);
    telemetry.queueWaited(performance.now() - entry.enqueuedAt);
    if (!batch || batch.state !== 'queued') return;
    if (batch.cancelRequested || deps.cancelRequests.has(batch.id)) {
      if (await transitions.move(batch.id, 'queued', 'cancelled', { workerId, reason: 'cancel requested' })) {
        finish(batch, { state: 'cancelled', wasProcessing: false, processingMs: 0, successCount: 0, failedCount: 0, emissionsKg: 0 });
      }
      return;
    }
    await telemetry.processing({ ...infoOf(batch), workerId, carrier: batch.traceCarrier }, async (span) => {
      const lockSpan = telemetry.startLock({ batchId: batch.id, orgId: batch.orgId, workerId });
      lockSpan.event('lock.wait', { 'org.id': batch.orgId, 'lock.timeout_ms': config.lockTimeoutMs });
      const waitStart = performance.now();
      let release: () => void;
      try {
        release = await locks.acquire(batch.orgId, config.lockTimeoutMs);
      } catch (error) {
        if (!(error instanceof LockTimeoutError)) throw error;
        telemetry.lockTimedOut(performance.now() - waitStart);
        lockSpan.fail('lock_timeout', error.message);
        lockSpan.end();
        await onLockTimeout(batch, span, workerId);
        return;
      }
      const waitMs = performance.now() - waitStart;
      telemetry.lockAcquired(waitMs);
      lockSpan.event('lock.acquired', { 'lock.wait_ms': waitMs });
      try {
        await processLocked(batch, span, workerId);
      } finally {
        release();
        lockSpan.event('lock.released');
        lockSpan.end();
      }
    });
  }

  return {
    run,
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    get averageBatchMs() {
      return averageBatchMs;
    },
  };
}
