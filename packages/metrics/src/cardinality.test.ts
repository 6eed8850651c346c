import { describe, expect, it } from 'vitest';
import type { OgfError } from '@ogf/metrics';
import { createRig, histogramOf, metric, pointsOf } from '../test/harness.js';

const LOCKS = Array.from({ length: 10_000 }, (_, i) => `org-${i}`);

function sumOf(points: { value: unknown }[]): number {
  return points.reduce((sum, p) => sum + (p.value as number), 0);
}

describe('cardinality', () => {
  it('keeps 10,000 distinct lock names to maxLockNames series plus other, counting each call once', async () => {
    const errors: OgfError[] = [];
    const rig = createRig({ onError: (e) => errors.push(e) });
    for (const lock of LOCKS) rig.metrics.recordLockAcquisition({ lock, waitMs: 1, acquired: true });
    const rm = await rig.collect();
    const points = pointsOf(rm, 'lock.acquisitions');
    expect(points).toHaveLength(21);
    expect(points.find((p) => p.attributes.lock === 'other')?.value).toBe(10_000 - 20);
    expect(sumOf(points)).toBe(10_000);
    const waits = metric(rm, 'lock.wait.duration').dataPoints;
    expect(waits).toHaveLength(21);
    expect(waits.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(10_000);
    expect(errors.map((e) => e.code)).toEqual(['ERR_OGF_CARDINALITY']);
  });

  it("stays within the SDK's cardinality limit with its overflow series and nothing double counted (synchronous instruments)", async () => {
    const rig = createRig(
      { recording: 'instrument', maxLockNames: 1000, onError: () => {} },
      { views: [{ instrumentName: 'lock.*', aggregationCardinalityLimit: 50 }] },
    );
    for (const lock of LOCKS) rig.metrics.recordLockAcquisition({ lock, waitMs: 1, acquired: true });
    for (let round = 0; round < 2; round += 1) {
      const rm = await rig.collect();
      const points = pointsOf(rm, 'lock.acquisitions');
      expect(points.length).toBeLessThanOrEqual(50);
      expect(points.filter((p) => p.attributes['otel.metric.overflow'] === true)).toHaveLength(1);
      expect(sumOf(points)).toBe(10_000);
      const waits = metric(rm, 'lock.wait.duration').dataPoints;
      expect(waits.length).toBeLessThanOrEqual(50);
      expect(waits.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(10_000);
      expect(histogramOf(rm, 'lock.wait.duration', { 'otel.metric.overflow': true })).toBeDefined();
    }
  });

  it('keeps tallies under a lowered SDK limit when maxLockNames fits in it, so nothing is lost', async () => {
    // The SDK folds observable overflow lossily (sdk-metrics 2.12 keeps only the last overflowing
    // observation), so tallies stay exact by never reaching the limit: maxLockNames + other < limit.
    const rig = createRig(
      { maxLockNames: 40, onError: () => {} },
      { views: [{ instrumentName: 'lock.*', aggregationCardinalityLimit: 50 }] },
    );
    for (const lock of LOCKS) rig.metrics.recordLockAcquisition({ lock, waitMs: 1, acquired: true });
    const points = pointsOf(await rig.collect(), 'lock.acquisitions');
    expect(points).toHaveLength(41);
    expect(points.some((p) => p.attributes['otel.metric.overflow'] === true)).toBe(false);
    expect(sumOf(points)).toBe(10_000);
  });

  it('keeps the other attribute sets closed whatever they are given', async () => {
    const rig = createRig({ onError: () => {} });
    for (let i = 0; i < 10_000; i += 1) {
      rig.metrics.recordError({ error: new Error(`failure #${i} in org ${i}`) });
      rig.metrics.recordBatchFailure({ error: `weird-${i}` });
      rig.metrics.recordStateTransition({ from: `state-${i}`, to: 'completed' });
    }
    const rm = await rig.collect();
    expect(pointsOf(rm, 'batch.errors').map((p) => p.attributes)).toEqual([{ error_type: 'other' }]);
    expect(pointsOf(rm, 'batch.failed').map((p) => p.attributes)).toEqual([{ error_type: 'other' }]);
    expect(pointsOf(rm, 'batch.state.transitions').map((p) => [p.attributes, p.value])).toEqual([
      [{ from: 'other', to: 'completed' }, 10_000],
    ]);
  });
});
