import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SnapshotPoint } from '@ogf/core';
import { histogramQuantile, mergeHistograms } from './quantile.js';
import type { MergedHistogram } from './quantile.js';

const plain = (bounds: number[], counts: number[]): MergedHistogram => ({ bounds, counts, min: NaN, max: NaN });

function point(buckets: [number | '+Inf', number][], extra: { min?: number; max?: number } = {}): SnapshotPoint {
  const count = buckets[buckets.length - 1]![1];
  return {
    attributes: {},
    time: '2025-12-04T10:00:00.000Z',
    histogram: { count, sum: 0, ...extra, buckets: buckets.map(([le, c]) => ({ le, count: c })) },
  };
}

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket that holds the rank, from 0 for the first bucket', () => {
    const h = plain([0.1, 0.5, 1, Infinity], [10, 30, 40, 40]);
    expect(histogramQuantile(0.25, h)).toBe(0.1); // rank 10: top of the first bucket
    expect(histogramQuantile(0.1, h)).toBeCloseTo(0.04, 12); // rank 4 of 10 in (0, 0.1]
    expect(histogramQuantile(0.5, h)).toBeCloseTo(0.3, 12); // rank 20: 10 of 20 in (0.1, 0.5]
    expect(histogramQuantile(0.875, h)).toBeCloseTo(0.75, 12); // rank 35: 5 of 10 in (0.5, 1]
  });

  it('answers the highest finite bound for a rank in the +Inf bucket, or interpolates to max when known', () => {
    const counts = [1, 2, 10];
    expect(histogramQuantile(0.99, plain([1, 2, Infinity], counts))).toBe(2);
    expect(histogramQuantile(0.6, { bounds: [1, 2, Infinity], counts, min: 0.5, max: 10 })).toBeCloseTo(2 + 8 * (4 / 8), 12);
  });

  it('clamps the estimate to the observed min and max', () => {
    // 20 observations of exactly 0.3 s: interpolation alone would say 0.375 for p50.
    expect(histogramQuantile(0.5, { bounds: [0.25, 0.5, Infinity], counts: [0, 20, 20], min: 0.3, max: 0.3 })).toBe(0.3);
  });

  it('is null without observations', () => {
    expect(histogramQuantile(0.5, plain([1, Infinity], [0, 0]))).toBeNull();
    expect(
      mergeHistograms([
        point([
          [1, 0],
          ['+Inf', 0],
        ]),
      ]),
    ).toBeUndefined();
    expect(mergeHistograms([])).toBeUndefined();
  });

  it('merges the points of several attribute sets, also with different boundaries', () => {
    const merged = mergeHistograms([
      point(
        [
          [1, 2],
          [5, 3],
          ['+Inf', 4],
        ],
        { min: 0.5, max: 9 },
      ),
      point(
        [
          [1, 1],
          [2, 5],
          ['+Inf', 5],
        ],
        { min: 0.2, max: 1.5 },
      ),
    ]);
    expect(merged).toEqual({ bounds: [1, 2, 5, Infinity], counts: [3, 7, 8, 9], min: 0.2, max: 9 });
  });

  it("gives exactly what Prometheus' histogram_quantile gives (checked with promtool test rules)", () => {
    // Random cumulative histograms and quantiles; our answers become promtool's expected samples.
    const cases = fc.sample(
      fc.record({
        bounds: fc.uniqueArray(fc.double({ min: -5, max: 1000, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 8 }),
        increments: fc.array(fc.nat({ max: 50 }), { minLength: 9, maxLength: 9 }),
        q: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      }),
      { numRuns: 40, seed: 20251204 },
    );
    const series: string[] = [];
    const tests: string[] = [];
    let checked = 0;
    cases.forEach(({ bounds, increments, q }, i) => {
      const sorted = [...bounds].sort((a, b) => a - b).concat(Infinity);
      let running = 0;
      const counts = sorted.map((_, j) => (running += increments[j]!));
      const ours = histogramQuantile(q, plain(sorted, counts));
      if (ours === null) return;
      checked += 1;
      sorted.forEach((le, j) => {
        series.push(
          `      - series: 'h_bucket{case="${i}",le="${le === Infinity ? '+Inf' : String(le)}"}'\n        values: '${counts[j]}'`,
        );
      });
      tests.push(
        `      - expr: histogram_quantile(${q}, h_bucket{case="${i}"})\n        eval_time: 0m\n        exp_samples:\n          - labels: '{case="${i}"}'\n            value: ${ours}`,
      );
    });
    expect(checked).toBeGreaterThan(30);
    const dir = mkdtempSync(join(tmpdir(), 'ogf-quantile-'));
    try {
      const file = join(dir, 'quantile.yml');
      writeFileSync(
        file,
        `evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n${series.join('\n')}\n    promql_expr_test:\n${tests.join('\n')}\n`,
      );
      const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
      if (run.error) throw new Error(`promtool is required for this test: ${run.error.message}`);
      expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
