// A known sequence of batch operations giving the seed's example numbers: 42 submitted,
// 2 processing, 38 completed, 2 failed, 450 activities of which 440 succeeded (97.8 %),
// errors timeout 5 / database 3 / network 2, 3 of 4 workers busy, 5 queued, 15000.5 kg.
import type { BatchMetrics } from '@ogf/metrics';

export const SEQUENCE_NOW = Date.UTC(2025, 11, 4, 10, 0, 0);

export function runKnownSequence(m: BatchMetrics): void {
  m.setWorkerCapacity(4);
  for (let i = 0; i < 42; i += 1) {
    m.recordBatchSubmission({ activityCount: i < 40 ? 10 : 25 });
    m.recordSubmitDuration({ durationMs: 20, success: true });
    m.recordBatchStarted();
  }
  // 40 batches finish: 20 after 0.3 s, 20 after 3 s; 38 complete, 2 fail.
  for (let i = 0; i < 38; i += 1) {
    m.recordBatchCompletion({
      durationMs: i < 20 ? 300 : 3000,
      emissionsKg: i < 37 ? 400 : 200.5,
      submittedAt: SEQUENCE_NOW - 60_000,
    });
  }
  m.recordBatchFailure({ error: Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), durationMs: 3000 });
  m.recordBatchFailure({ error: 'database', durationMs: 3000 });
  // 450 activities: 300 succeed in 20 ms, 140 succeed and 10 fail in 200 ms.
  for (let i = 0; i < 450; i += 1) {
    m.recordActivityProcessing({ success: i < 440, durationMs: i < 300 ? 20 : 200 });
  }
  for (let i = 0; i < 5; i += 1) m.recordError({ error: 'timeout' });
  for (let i = 0; i < 3; i += 1) m.recordError({ error: new Error('deadlock detected') });
  for (let i = 0; i < 2; i += 1) m.recordError({ error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
  m.recordWorkerBusy();
  m.recordWorkerBusy();
  m.recordWorkerBusy();
  m.setQueueSize(5);
  m.recordLockAcquisition({ lock: 'org', waitMs: 2, acquired: true });
  m.recordRetry({ succeeded: true });
  m.recordStateTransition({ from: 'processing', to: 'completed' });
}

/** The JSON summary the sequence must produce (contract C). */
export const EXPECTED_SUMMARY = {
  timestamp: '2025-12-04T10:00:00.000Z',
  batches_submitted: 42,
  batches_processing: 2,
  batches_completed: 38,
  batches_failed: 2,
  batches_cancelled: 0,
  activities_total: 450,
  activities_success: 440,
  activities_failed: 10,
  workers_active: 3,
  workers_capacity: 4,
  worker_utilization_percent: 75,
  queue_size: 5,
  success_rate: 97.8,
  total_emissions: 15000.5,
  errors_by_type: { timeout: 5, database: 3, network: 2 },
  lock_acquisitions: 1,
  lock_timeouts: 0,
  retry_attempts: 1,
  retry_successes: 1,
  state_transitions: 1,
  // 20 × 0.3 s + 18 × 3 s completed, 2 × 3 s failed: 66 s over 40 batches.
  average_processing_time_seconds: 1.65,
  // 37 × 400 kg + 200.5 kg over the 38 completed batches.
  average_emissions_per_batch: 394.75,
  batches_per_second: 0,
  activities_per_second: 0,
  // 40 durations: 20 × 0.3 s in (0.25, 0.5], 20 × 3 s in (2.5, 5]. p50: rank 20 → top of
  // (0.25, 0.5] = 0.5; p95/p99 interpolate inside (2.5, 5] past 3 s and clamp to max 3.
  batch_latency_seconds: { p50: 0.5, p95: 3, p99: 3 },
  // 300 × 0.02 s in (0.01, 0.025], 150 × 0.2 s in (0.1, 0.25]. p50: rank 225 → 0.01 +
  // 0.015 × 225/300 = 0.02125; p95/p99 clamp to max 0.2.
  activity_latency_seconds: { p50: 0.02125, p95: 0.2, p99: 0.2 },
};
