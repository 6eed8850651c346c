import { describe, expect, it } from 'vitest';
import type { OgfError } from '@ogf/metrics';
import { createRig, pointsOf, valueOf } from '../test/harness.js';

describe('levels that never go below zero', () => {
  it('keeps batch.processing at 0 for a port that never calls recordBatchStarted, and says why once', async () => {
    const errors: OgfError[] = [];
    const rig = createRig({ onError: (e) => errors.push(e) });
    for (let i = 0; i < 3; i += 1) rig.metrics.recordBatchCompletion({ durationMs: 10, emissionsKg: 1 });
    rig.metrics.recordBatchFailure({ error: new Error('db down'), durationMs: 5 });
    rig.metrics.recordBatchCancellation({ durationMs: 5 });
    rig.metrics.recordBatchRequeued();
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.processing')).toBe(0);
    expect(valueOf(rm, 'batch.completed')).toBe(3);
    expect(errors.map((e) => e.code)).toEqual(['ERR_OGF_MISUSE']);
    expect(errors[0]!.message).toMatch(/^recordBatchCompletion: no batch is processing.*recordBatchStarted\(\).*\(reported once\)$/);
  });

  it('still decrements batches that did start, and requeues stop them without an outcome', async () => {
    const rig = createRig({ onError: () => undefined });
    const m = rig.metrics;
    m.recordBatchStarted();
    m.recordBatchStarted();
    m.recordBatchStarted();
    m.recordBatchRequeued();
    m.recordBatchCompletion({ durationMs: 10, emissionsKg: 1 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'batch.processing')).toBe(1);
    expect(valueOf(rm, 'batch.completed')).toBe(1);
    expect(pointsOf(rm, 'batch.failed')).toEqual([]);
  });

  it('keeps workers.active and queue.size at 0 or above', async () => {
    const errors: OgfError[] = [];
    const rig = createRig({ onError: (e) => errors.push(e) });
    const m = rig.metrics;
    m.recordWorkerIdle({ taskMs: 5 });
    m.recordWorkerBusy();
    m.recordWorkerIdle();
    m.recordWorkerIdle();
    m.recordEnqueue({ count: 2 });
    m.recordDequeue({ count: 5 });
    m.recordDequeue();
    m.setQueueSize(4);
    m.recordDequeue({ count: 3 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'workers.active')).toBe(0);
    expect(valueOf(rm, 'queue.size')).toBe(1);
    expect(errors.map((e) => e.message.split(':')[0])).toEqual(['recordWorkerIdle', 'recordDequeue']);
  });

  it('records queue wait without moving queue.size', async () => {
    const rig = createRig();
    rig.metrics.recordEnqueue();
    rig.metrics.recordQueueWait({ waitMs: 1500 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'queue.size')).toBe(1);
    const wait = rm.scopeMetrics.flatMap((s) => s.metrics).find((d) => d.descriptor.name === 'queue.wait.duration');
    expect((wait?.dataPoints[0]?.value as { sum: number }).sum).toBe(1.5);
  });
});

describe('counts that would be ignored', () => {
  it('warns once when counts go to recordBatchCompletion under per-activity counting', async () => {
    const errors: OgfError[] = [];
    const rig = createRig({ onError: (e) => errors.push(e) });
    const m = rig.metrics;
    expect(m.activityCounts).toBe('per-activity');
    for (let i = 0; i < 2; i += 1) {
      m.recordBatchStarted();
      m.recordBatchCompletion({ durationMs: 10, emissionsKg: 1, successCount: 4, errorCount: 1 });
    }
    m.recordBatchFailure({ error: 'x', successCount: 1 });
    const rm = await rig.collect();
    expect(valueOf(rm, 'activity')).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /successCount\/errorCount are ignored under activityCounts 'per-activity'.*activityCounts: 'per-batch'/,
    );
  });

  it('says nothing when counts are used (per-batch) or absent', async () => {
    const errors: OgfError[] = [];
    const perBatch = createRig({ onError: (e) => errors.push(e), activityCounts: 'per-batch' });
    expect(perBatch.metrics.activityCounts).toBe('per-batch');
    perBatch.metrics.recordBatchStarted();
    perBatch.metrics.recordBatchCompletion({ durationMs: 10, emissionsKg: 1, successCount: 4, errorCount: 1 });
    const perActivity = createRig({ onError: (e) => errors.push(e) });
    perActivity.metrics.recordBatchStarted();
    perActivity.metrics.recordBatchCompletion({ durationMs: 10, emissionsKg: 1 });
    expect(valueOf(await perBatch.collect(), 'activity')).toBe(5);
    expect(errors).toEqual([]);
  });
});
