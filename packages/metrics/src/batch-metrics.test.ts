import { describe, expect, it } from 'vitest';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { METRIC_CATALOG } from '@ogf/metrics';
import { allMetrics, createRig, histogramOf, metric, pointsOf, valueOf } from '../test/harness.js';

const T0 = Date.UTC(2025, 11, 4, 10, 0, 0);

describe('createBatchMetrics on a real MeterProvider', () => {
  it('creates every catalog instrument with its unit, description, type and buckets', async () => {
    const rig = createRig({ workerCapacity: 4, now: () => T0, onError: () => {} });
    const m = rig.metrics;
    m.recordSubmitDuration({ durationMs: NaN, success: true });
    m.recordBatchSubmission({ activityCount: 3 });
    m.recordSubmitDuration({ durationMs: 12, success: true });
    m.recordBatchStarted();
    m.recordBatchCompletion({ durationMs: 1000, emissionsKg: 5, submittedAt: T0 - 2000 });
    m.recordActivityProcessing({ success: true, durationMs: 3 });
    m.recordWorkerBusy({ idleMs: 10 });
    m.recordWorkerIdle({ taskMs: 20 });
    m.recordLockAcquisition({ lock: 'org', waitMs: 1, acquired: true });
    m.recordLockAcquisition({ lock: 'org', waitMs: 1, acquired: false });
    m.recordDequeue({ waitMs: 50, count: 0 });
    m.recordError({ error: 'timeout' });
    m.recordBatchFailure({ error: 'timeout' });
    m.recordStateTransition({ from: 'queued', to: 'processing' });
    const rm = await rig.collect();
    const names = allMetrics(rm)
      .map((d) => d.descriptor.name)
      .sort();
    expect(names).toEqual(METRIC_CATALOG.map((d) => d.name).sort());
    expect(rm.scopeMetrics.map((s) => s.scope.name)).toEqual(['@ogf/metrics']);
    for (const definition of METRIC_CATALOG) {
      const data = metric(rm, definition.name);
      expect(data.descriptor.unit, definition.name).toBe(definition.unit);
      expect(data.descriptor.description, definition.name).toBe(definition.description);
      const kind =
        data.dataPointType === DataPointType.HISTOGRAM
          ? 'histogram'
          : data.dataPointType === DataPointType.GAUGE
            ? 'gauge'
            : 'isMonotonic' in data && data.isMonotonic
              ? 'counter'
              : 'updowncounter';
      expect(kind, definition.name).toBe(definition.kind);
      if (definition.buckets) {
        const point = data.dataPoints[0]!.value as { buckets: { boundaries: number[] } };
        expect(point.buckets.boundaries, definition.name).toEqual([...definition.buckets]);
      }
    }
  });

  it('counts a submission and records its size', async () => {
    const rig = createRig();
    rig.metrics.recordBatchSubmission({ activityCount: 120 });
    rig.metrics.recordBatchSubmission({ activityCount: 30 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.submitted')).toBe(2);
    expect(histogramOf(rm, 'batch.size')).toMatchObject({ count: 2, sum: 150, min: 30, max: 120 });
  });

  it('records submit duration in seconds by success', async () => {
    const rig = createRig();
    rig.metrics.recordSubmitDuration({ durationMs: 250, success: true });
    rig.metrics.recordSubmitDuration({ durationMs: 1500, success: false });
    const rm = await rig.collect();
    expect(histogramOf(rm, 'batch.submit.duration', { success: true })).toMatchObject({ count: 1, sum: 0.25 });
    expect(histogramOf(rm, 'batch.submit.duration', { success: false })).toMatchObject({ count: 1, sum: 1.5 });
  });

  it('moves processing, completion, duration, emissions, last success and latency on completion', async () => {
    let now = T0;
    const rig = createRig({ now: () => now });
    rig.metrics.recordBatchStarted();
    rig.metrics.recordBatchStarted();
    expect(valueOf(await rig.collect(), 'batch.processing')).toBe(2);
    now = T0 + 90_000;
    rig.metrics.recordBatchCompletion({ durationMs: 5400, emissionsKg: 812.5, submittedAt: new Date(T0) });
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.processing')).toBe(1);
    expect(valueOf(rm, 'batch.completed')).toBe(1);
    expect(histogramOf(rm, 'batch.processing.duration', { outcome: 'completed' })).toMatchObject({ count: 1, sum: 5.4 });
    expect(valueOf(rm, 'emissions')).toBe(812_500);
    expect(histogramOf(rm, 'emissions.avg.batch')).toMatchObject({ count: 1, sum: 812_500 });
    expect(valueOf(rm, 'batch.last_success.timestamp')).toBe((T0 + 90_000) / 1000);
    expect(histogramOf(rm, 'batch.latency', { outcome: 'completed' })).toMatchObject({ count: 1, sum: 90 });
  });

  it('records no emissions for a completion without emissionsKg, and reports nothing', async () => {
    const errors: unknown[] = [];
    const rig = createRig({ onError: (e) => errors.push(e) });
    rig.metrics.recordBatchStarted();
    rig.metrics.recordBatchCompletion({ durationMs: 100 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.completed')).toBe(1);
    expect(valueOf(rm, 'emissions')).toBe(0);
    expect(pointsOf(rm, 'emissions.avg.batch')).toEqual([]);
    expect(pointsOf(rm, 'ogf.metrics.dropped')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('reports no last-success time before the first completed batch', async () => {
    const rig = createRig();
    rig.metrics.recordBatchStarted();
    rig.metrics.recordBatchFailure({ error: new Error('boom'), durationMs: 10 });
    expect(pointsOf(await rig.collect(), 'batch.last_success.timestamp')).toEqual([]);
  });

  it('counts a failure by classified error type without touching batch.errors', async () => {
    const rig = createRig({ now: () => T0 });
    rig.metrics.recordBatchStarted();
    const type = rig.metrics.recordBatchFailure({
      error: Object.assign(new Error('query read timeout'), { code: 'ETIMEDOUT' }),
      durationMs: 2000,
      submittedAt: T0 - 4000,
    });
    expect(type).toBe('timeout');
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.failed', { error_type: 'timeout' })).toBe(1);
    expect(valueOf(rm, 'batch.processing')).toBe(0);
    expect(histogramOf(rm, 'batch.processing.duration', { outcome: 'failed' })).toMatchObject({ count: 1, sum: 2 });
    expect(histogramOf(rm, 'batch.latency', { outcome: 'failed' })).toMatchObject({ count: 1, sum: 4 });
    expect(pointsOf(rm, 'batch.errors')).toEqual([]);
  });

  it('leaves batch.processing alone when a queued batch is cancelled or fails before starting', async () => {
    const rig = createRig();
    rig.metrics.recordBatchStarted();
    rig.metrics.recordBatchCancellation();
    rig.metrics.recordBatchFailure({ error: 'validation' });
    let rm = await rig.collect();
    expect(valueOf(rm, 'batch.processing')).toBe(1);
    expect(valueOf(rm, 'batch.cancelled')).toBe(1);
    expect(valueOf(rm, 'batch.failed', { error_type: 'validation' })).toBe(1);
    rig.metrics.recordBatchCancellation({ durationMs: 300 });
    rm = await rig.collect();
    expect(valueOf(rm, 'batch.processing')).toBe(0);
    expect(valueOf(rm, 'batch.cancelled')).toBe(2);
    expect(histogramOf(rm, 'batch.processing.duration', { outcome: 'cancelled' })).toMatchObject({ count: 1, sum: 0.3 });
  });

  it('counts activities per activity by default and ignores the counts passed at completion', async () => {
    const rig = createRig();
    rig.metrics.recordActivityProcessing({ success: true, durationMs: 40 });
    rig.metrics.recordActivityProcessing({ success: true, durationMs: 60 });
    rig.metrics.recordActivityProcessing({ success: false, durationMs: 5 });
    rig.metrics.recordBatchStarted();
    rig.metrics.recordBatchCompletion({ durationMs: 200, emissionsKg: 1, successCount: 2, errorCount: 1 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'activity')).toBe(3);
    expect(valueOf(rm, 'activity.success')).toBe(2);
    expect(valueOf(rm, 'activity.failed')).toBe(1);
    expect(histogramOf(rm, 'activity.duration', { success: true })).toMatchObject({ count: 2, sum: 0.1 });
    expect(histogramOf(rm, 'activity.duration', { success: false })).toMatchObject({ count: 1, sum: 0.005 });
  });

  it("counts activities from the batch counts with activityCounts 'per-batch'", async () => {
    const rig = createRig({ activityCounts: 'per-batch' });
    rig.metrics.recordActivityProcessing({ success: true, durationMs: 40 });
    rig.metrics.recordBatchStarted();
    rig.metrics.recordBatchCompletion({ durationMs: 200, emissionsKg: 1, successCount: 440, errorCount: 8 });
    rig.metrics.recordBatchStarted();
    rig.metrics.recordBatchFailure({ error: 'database', durationMs: 100, successCount: 0, errorCount: 2 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'activity')).toBe(450);
    expect(valueOf(rm, 'activity.success')).toBe(440);
    expect(valueOf(rm, 'activity.failed')).toBe(10);
    expect(histogramOf(rm, 'activity.duration', { success: true })).toMatchObject({ count: 1 });
  });

  it('tracks busy workers, capacity, idle and task time', async () => {
    const rig = createRig({ workerCapacity: 8 });
    rig.metrics.recordWorkerBusy({ idleMs: 1500 });
    rig.metrics.recordWorkerBusy();
    rig.metrics.recordWorkerBusy();
    rig.metrics.recordWorkerIdle({ taskMs: 30_000 });
    let rm = await rig.collect();
    expect(valueOf(rm, 'workers.active')).toBe(2);
    expect(valueOf(rm, 'workers.capacity')).toBe(8);
    expect(histogramOf(rm, 'worker.idle.duration')).toMatchObject({ count: 1, sum: 1.5 });
    expect(histogramOf(rm, 'worker.task.duration')).toMatchObject({ count: 1, sum: 30 });
    rig.metrics.setWorkerCapacity(16);
    rm = await rig.collect();
    expect(valueOf(rm, 'workers.capacity')).toBe(16);
  });

  it('counts lock acquisitions and timeouts by lock name and records the wait', async () => {
    const rig = createRig();
    rig.metrics.recordLockAcquisition({ lock: 'org', waitMs: 2, acquired: true });
    rig.metrics.recordLockAcquisition({ lock: 'org', waitMs: 4, acquired: true });
    rig.metrics.recordLockAcquisition({ lock: 'org', waitMs: 5000, acquired: false });
    rig.metrics.recordLockAcquisition({ lock: 'factors', waitMs: 1, acquired: true });
    const rm = await rig.collect();
    expect(valueOf(rm, 'lock.acquisitions', { lock: 'org' })).toBe(2);
    expect(valueOf(rm, 'lock.acquisitions', { lock: 'factors' })).toBe(1);
    expect(valueOf(rm, 'lock.timeouts', { lock: 'org' })).toBe(1);
    expect(histogramOf(rm, 'lock.wait.duration', { lock: 'org', acquired: true })).toMatchObject({ count: 2, sum: 0.006 });
    expect(histogramOf(rm, 'lock.wait.duration', { lock: 'org', acquired: false })).toMatchObject({ count: 1, sum: 5 });
  });

  it('records names outside a configured lockNames list as other', async () => {
    const rig = createRig({ lockNames: ['org'] });
    rig.metrics.recordLockAcquisition({ lock: 'org', waitMs: 1, acquired: true });
    rig.metrics.recordLockAcquisition({ lock: 'org-7f3a', waitMs: 1, acquired: true });
    const rm = await rig.collect();
    expect(metric(rm, 'lock.acquisitions').dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ lock: 'org' }, 1],
      [{ lock: 'other' }, 1],
    ]);
  });

  it('keeps the queue size from enqueues, dequeues and absolute sizes, and records the wait', async () => {
    const rig = createRig();
    rig.metrics.recordEnqueue();
    rig.metrics.recordEnqueue({ count: 5 });
    rig.metrics.recordDequeue({ waitMs: 12_000 });
    let rm = await rig.collect();
    expect(valueOf(rm, 'queue.size')).toBe(5);
    expect(histogramOf(rm, 'queue.wait.duration')).toMatchObject({ count: 1, sum: 12 });
    rig.metrics.setQueueSize(42);
    rig.metrics.recordDequeue();
    rm = await rig.collect();
    expect(valueOf(rm, 'queue.size')).toBe(41);
  });

  it('counts errors by normalised type and aggregates them like the seed', async () => {
    const rig = createRig({
      errorClassifiers: [{ type: 'factor_missing', matches: (e) => e instanceof Error && e.message.startsWith('no factor') }],
    });
    expect(rig.metrics.recordError({ error: new Error('no factor for diesel') })).toBe('factor_missing');
    expect(rig.metrics.recordError({ error: 'database_connection_error' })).toBe('database');
    expect(rig.metrics.recordError({ error: 'timeout' })).toBe('timeout');
    expect(rig.metrics.recordError({ error: 'submission_error' })).toBe('other');
    rig.metrics.recordError({ error: 'timeout' });
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.errors', { error_type: 'timeout' })).toBe(2);
    expect(valueOf(rm, 'batch.errors', { error_type: 'factor_missing' })).toBe(1);
    expect(rig.metrics.errorsByType()).toEqual({ factor_missing: 1, database: 1, timeout: 2, other: 1 });
  });

  it('counts retries and the ones that succeeded', async () => {
    const rig = createRig();
    rig.metrics.recordRetry({ succeeded: false });
    rig.metrics.recordRetry({ succeeded: true });
    rig.metrics.recordRetry({ succeeded: true });
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.retries')).toBe(3);
    expect(valueOf(rm, 'batch.retries.success')).toBe(2);
  });

  it('counts state transitions with states validated against the seed set', async () => {
    const rig = createRig();
    rig.metrics.recordStateTransition({ from: 'pending', to: 'queued' });
    rig.metrics.recordStateTransition({ from: 'queued', to: 'Processing' });
    rig.metrics.recordStateTransition({ from: 'processing', to: 'exploded' });
    rig.metrics.recordStateTransition({ from: 'pending', to: 'queued' });
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.state.transitions', { from: 'pending', to: 'queued' })).toBe(2);
    expect(valueOf(rm, 'batch.state.transitions', { from: 'queued', to: 'processing' })).toBe(1);
    expect(valueOf(rm, 'batch.state.transitions', { from: 'processing', to: 'other' })).toBe(1);
  });

  it("records the same values with synchronous instruments (recording: 'instrument')", async () => {
    const rig = createRig({ recording: 'instrument' });
    const m = rig.metrics;
    m.recordBatchSubmission({ activityCount: 1 });
    m.recordBatchStarted();
    m.recordBatchCompletion({ durationMs: 1, emissionsKg: 2 });
    m.recordError({ error: 'network' });
    m.setQueueSize(7);
    m.recordDequeue();
    m.recordLockAcquisition({ lock: 'org', waitMs: 1, acquired: true });
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.submitted')).toBe(1);
    expect(valueOf(rm, 'batch.processing')).toBe(0);
    expect(valueOf(rm, 'batch.completed')).toBe(1);
    expect(valueOf(rm, 'emissions')).toBe(2000);
    expect(valueOf(rm, 'batch.errors', { error_type: 'network' })).toBe(1);
    expect(valueOf(rm, 'queue.size')).toBe(6);
    expect(valueOf(rm, 'lock.acquisitions', { lock: 'org' })).toBe(1);
  });

  it('uses the meter name and version it is given', async () => {
    const rig = createRig({ scopeName: 'emissions-worker', scopeVersion: '2.1.0' });
    rig.metrics.recordRetry({ succeeded: true });
    const rm = await rig.collect();
    expect(rm.scopeMetrics.map((s) => s.scope)).toEqual([{ name: 'emissions-worker', version: '2.1.0', schemaUrl: undefined }]);
    expect(rig.metrics.scopeName).toBe('emissions-worker');
  });
});
