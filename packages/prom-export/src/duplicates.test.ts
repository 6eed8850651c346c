// The duplicate check behind the renderer: a block admitted at once must leave the check exactly
// as admitting its points one by one would, and a block that fails must leave no trace.
import { describe, expect, it } from 'vitest';
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createDuplicateCheck } from './duplicates.js';
import { createRenderCache, labelPart } from './labels.js';
import type { Family } from './plan.js';
import { planFamilies } from './plan.js';

/** One counter family with a point per attributes object. */
function familyOf(attributes: Attributes[]): Family {
  const time: [number, number] = [1, 0];
  const resourceMetrics: ResourceMetrics = {
    resource: resourceFromAttributes({}),
    scopeMetrics: [
      {
        scope: { name: 'm' },
        metrics: [
          {
            descriptor: { name: 'jobs', description: '', unit: '', valueType: 1 },
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.SUM,
            isMonotonic: true,
            dataPoints: attributes.map((a) => ({ attributes: a, startTime: time, endTime: time, value: 1 })),
          },
        ],
      },
    ],
  };
  return planFamilies(resourceMetrics, [], { withoutTargetInfo: true }, createRenderCache(), () => undefined)[0] as Family;
}

/** Admits points one by one from `from`; the indexes it rejected. */
function rejected(check: ReturnType<typeof createDuplicateCheck>, family: Family, from: number): number[] {
  const cache = createRenderCache();
  const points = family.sources[0]?.metric.dataPoints ?? [];
  const out: number[] = [];
  for (let p = from; p < points.length; p++) {
    if (
      !check.admit(
        0,
        p,
        labelPart((points[p] as { attributes: Attributes }).attributes, cache, () => undefined),
      )
    )
      out.push(p);
  }
  return out;
}

describe('the duplicate check', () => {
  it('keeps no key set until the first lossy series, then catches a later twin of an earlier one', () => {
    const family = familyOf([{ a_b: 'x' }, { c: 'y' }, { 'a.b': 'x' }, { d: 'z' }, { a_b: 'x' }]);
    const check = createDuplicateCheck(createRenderCache(), () => undefined);
    check.open(family);
    expect(rejected(check, family, 0)).toEqual([2, 4]);
    expect(check.running).toBe(true);
  });

  it('admits a block at once exactly as point by point', () => {
    const family = familyOf([{ a: '1' }, { 'b.c': '2' }, { d: '3' }, { b_c: '2' }]);
    const check = createDuplicateCheck(createRenderCache(), () => undefined);
    check.open(family);
    expect(check.admitBlock(0, 0, 3)).toBe(true);
    expect(check.running).toBe(true);
    expect(rejected(check, family, 3)).toEqual([3]);
  });

  it('leaves no trace of a block that holds a twin, whether it started the check or found it running', () => {
    for (const started of [false, true]) {
      // With `started`, the first series is lossy and the check runs before the block.
      const family = familyOf([started ? { n: 1 } : { n: '0' }, { 'a.b': 'x' }, { e: 'f' }, { a_b: 'x' }]);
      const check = createDuplicateCheck(createRenderCache(), () => undefined);
      check.open(family);
      expect(check.admitBlock(0, 0, 1)).toBe(true);
      expect(check.running).toBe(started);
      // Points 1–3 hold a twin: the block fails and the check is as it was after point 0.
      expect(check.admitBlock(0, 1, 4)).toBe(false);
      expect(check.running).toBe(started);
      expect(rejected(check, family, 1)).toEqual([3]);
    }
  });
});
