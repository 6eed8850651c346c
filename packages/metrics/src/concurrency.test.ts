import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AggregationTemporality, MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { createBatchMetrics } from '@ogf/metrics';
import { PullReader, pointsOf } from '../test/harness.js';

const ROUNDS = 100;
const PER_ROUND = 50;

function total(rm: ResourceMetrics, name: string): number {
  return pointsOf(rm, name).reduce((sum, p) => {
    const v = p.value as number | { count: number };
    return sum + (typeof v === 'number' ? v : v.count);
  }, 0);
}

describe('recording while collecting', () => {
  it.each(['tally', 'instrument'] as const)('loses and double counts nothing (%s)', async (recording) => {
    const cumulative = new PullReader();
    const delta = new PullReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
    const provider = new MeterProvider({ readers: [cumulative, delta] });
    const m = createBatchMetrics({ meterProvider: provider, recording });
    const names = ['batch.submitted', 'activity', 'batch.errors', 'activity.duration', 'lock.acquisitions'];
    const deltaSums = Object.fromEntries(names.map((n) => [n, 0]));
    const seen: number[] = [];
    let recording_ = true;

    const writer = (async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        for (let i = 0; i < PER_ROUND; i += 1) {
          m.recordBatchSubmission({ activityCount: 1 });
          m.recordActivityProcessing({ success: i % 7 !== 0, durationMs: i });
          m.recordError({ error: i % 2 === 0 ? 'timeout' : 'network' });
          m.recordLockAcquisition({ lock: `lock-${i % 5}`, waitMs: 1, acquired: true });
        }
        await nextTurn();
      }
      recording_ = false;
    })();
    const scraper = (async () => {
      while (recording_) {
        const [c, d] = await Promise.all([cumulative.collect(), delta.collect()]);
        seen.push(total(c.resourceMetrics, 'batch.submitted'));
        for (const name of names) deltaSums[name]! += total(d.resourceMetrics, name);
        await nextTurn();
      }
    })();
    await Promise.all([writer, scraper]);
    const d = await delta.collect();
    for (const name of names) deltaSums[name]! += total(d.resourceMetrics, name);
    const final = (await cumulative.collect()).resourceMetrics;

    const expected = ROUNDS * PER_ROUND;
    expect(seen.length).toBeGreaterThan(5);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    for (const name of names) {
      expect(total(final, name), `cumulative ${name}`).toBe(expected);
      expect(deltaSums[name], `sum of deltas ${name}`).toBe(expected);
    }
  });
});
