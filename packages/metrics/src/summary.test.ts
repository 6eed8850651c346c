import { describe, expect, it } from 'vitest';
import { createBatchSummarizer, toBatchSummary } from '@ogf/metrics';
import type { MetricsSnapshot } from '@ogf/metrics';
import { createRig, toSnapshot } from '../test/harness.js';
import { EXPECTED_SUMMARY, SEQUENCE_NOW, runKnownSequence } from '../test/sequence.js';

function counters(timestamp: string, values: Record<string, number>, scope = '@ogf/metrics'): MetricsSnapshot {
  return {
    timestamp,
    resource: {},
    metrics: Object.entries(values).map(([name, value]) => ({
      name,
      prometheusName: name.replace(/\./g, '_'),
      description: '',
      unit: '',
      type: 'counter' as const,
      scope: { name: scope },
      points: [{ attributes: {}, time: timestamp, value }],
    })),
  };
}

describe('toBatchSummary', () => {
  it("turns the known sequence into the seed's JSON (440 of 450 → 97.8)", async () => {
    const rig = createRig({ now: () => SEQUENCE_NOW });
    runKnownSequence(rig.metrics);
    const summary = toBatchSummary(toSnapshot(await rig.collect(), '2025-12-04T10:00:00.000Z'));
    expect(summary).toEqual(EXPECTED_SUMMARY);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('reports zeros and null percentiles for an empty snapshot', () => {
    const summary = toBatchSummary({ timestamp: '2025-12-04T10:00:00.000Z', resource: {}, metrics: [] });
    expect(summary.success_rate).toBe(0);
    expect(summary.worker_utilization_percent).toBe(0);
    expect(summary.batch_latency_seconds).toEqual({ p50: null, p95: null, p99: null });
    expect(summary.errors_by_type).toEqual({});
  });

  it('ignores other meters, and non-finite values never reach the JSON', () => {
    const snapshot = counters('2025-12-04T10:00:00.000Z', { 'activity.success': 9, 'activity.failed': 1 });
    snapshot.metrics.push(...counters('2025-12-04T10:00:00.000Z', { 'activity.success': 1000 }, 'somebody-else').metrics);
    snapshot.metrics.push({
      ...snapshot.metrics[0]!,
      name: 'emissions',
      points: [{ attributes: {}, time: snapshot.timestamp, value: 'NaN' }],
    });
    const summary = toBatchSummary(snapshot);
    expect(summary.success_rate).toBe(90);
    expect(summary.activities_success).toBe(9);
    expect(summary.total_emissions).toBe(0);
    expect(toBatchSummary(snapshot, { scopeName: 'somebody-else' }).activities_success).toBe(1000);
  });

  it("carries the fields OffGridFlow's Go dashboards read: locks, retries, transitions and averages", async () => {
    const rig = createRig();
    const m = rig.metrics;
    for (const acquired of [true, true, true, false, false]) m.recordLockAcquisition({ lock: 'org', waitMs: 5, acquired });
    for (const succeeded of [true, true, true, false]) m.recordRetry({ succeeded });
    for (const [from, to] of [
      ['pending', 'queued'],
      ['queued', 'processing'],
      ['processing', 'completed'],
    ] as const) {
      m.recordStateTransition({ from, to });
    }
    m.recordBatchStarted();
    m.recordBatchCompletion({ durationMs: 1_500, emissionsKg: 12.25 });
    m.recordBatchStarted();
    m.recordBatchCompletion({ durationMs: 4_500, emissionsKg: 0.75 });
    m.recordBatchStarted();
    m.recordBatchFailure({ error: 'timeout', durationMs: 6_000 });
    const summary = toBatchSummary(toSnapshot(await rig.collect(), '2025-12-04T10:00:00.000Z'));
    expect(summary).toMatchObject({
      lock_acquisitions: 3,
      lock_timeouts: 2,
      retry_attempts: 4,
      retry_successes: 3,
      state_transitions: 3,
      // every finished batch, failed ones included: (1.5 + 4.5 + 6) / 3
      average_processing_time_seconds: 4,
      // completed batches only: (12.25 + 0.75) / 2 kg
      average_emissions_per_batch: 6.5,
    });
  });

  it('reports 0, not NaN, for averages of nothing', () => {
    const summary = toBatchSummary({ timestamp: '2025-12-04T10:00:00.000Z', resource: {}, metrics: [] });
    expect(summary.average_processing_time_seconds).toBe(0);
    expect(summary.average_emissions_per_batch).toBe(0);
  });

  it('keeps error types named like Object.prototype members as plain keys', () => {
    const snapshot = counters('2025-12-04T10:00:00.000Z', { 'batch.errors': 0 });
    const errors = snapshot.metrics[0]!;
    errors.points = ['constructor', '__proto__', 'timeout'].map((type, index) => ({
      attributes: { error_type: type },
      time: snapshot.timestamp,
      value: index + 1,
    }));
    const summary = toBatchSummary(snapshot);
    expect(JSON.parse(JSON.stringify(summary.errors_by_type))).toEqual({ constructor: 1, ['__proto__']: 2, timeout: 3 });
    expect(Object.keys(summary.errors_by_type)).toEqual(['constructor', '__proto__', 'timeout']);
  });
});

describe('createBatchSummarizer', () => {
  it('computes batches and activities per second over the last minute', () => {
    const summarizer = createBatchSummarizer();
    const at = (seconds: number, completed: number, failed: number, activities: number) =>
      summarizer.summarize(
        counters(new Date(SEQUENCE_NOW + seconds * 1000).toISOString(), {
          'batch.completed': completed,
          'batch.failed': failed,
          activity: activities,
        }),
      );
    expect(at(0, 0, 0, 0)).toMatchObject({ batches_per_second: 0, activities_per_second: 0 });
    expect(at(30, 25, 5, 300)).toMatchObject({ batches_per_second: 1, activities_per_second: 10 });
    // At 90 s the sample at 0 s is older than a minute; the one at 30 s is the base.
    expect(at(90, 85, 5, 900)).toMatchObject({ batches_per_second: 1, activities_per_second: 10 });
    expect(at(100, 85, 5, 900)).toMatchObject({ batches_per_second: 0.857, activities_per_second: 8.571 });
  });

  it('starts over when counters go down (a restart)', () => {
    const summarizer = createBatchSummarizer({ windowMs: 60_000 });
    summarizer.summarize(counters('2025-12-04T10:00:00.000Z', { 'batch.completed': 500 }));
    expect(summarizer.summarize(counters('2025-12-04T10:00:10.000Z', { 'batch.completed': 2 })).batches_per_second).toBe(0);
    expect(summarizer.summarize(counters('2025-12-04T10:00:20.000Z', { 'batch.completed': 12 })).batches_per_second).toBe(1);
  });

  it('rejects a window that is not a positive number', () => {
    expect(() => createBatchSummarizer({ windowMs: 0 })).toThrow(/windowMs must be a finite number > 0/);
  });
});

describe('createBatchSummarizer under frequent calls', () => {
  it('keeps rates right when called many times a second', () => {
    const summarizer = createBatchSummarizer();
    // 100 activities/s for two minutes, then 20/s for one: the last minute says 20.
    let activities = 0;
    let last = 0;
    for (let ms = 0; ms <= 180_000; ms += 50) {
      activities += ms <= 120_000 ? 5 : 1;
      const snapshot = counters(new Date(SEQUENCE_NOW + ms).toISOString(), { activity: activities });
      last = summarizer.summarize(snapshot).activities_per_second;
    }
    expect(last).toBeGreaterThan(19);
    expect(last).toBeLessThan(22);
  });
});
