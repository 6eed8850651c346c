// Adversarial numbers: NaN, ±Infinity, -0, subnormals, 5e-324, Number.MAX_VALUE, sums that
// overflow. Whatever the SDK lets through, both expositions stay valid (promtool, the strict
// OpenMetrics parser and the text parser all read them) and every value reads back exactly.
// CI runs fixed seeds; OGF_FUZZ_RUNS=2000 runs that many random cases (the seed of a failure is printed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedFamily } from '@ogf/testkit/openmetrics';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { promtoolCheckMetrics } from '@ogf/testkit/promtool';
import { parseText, setup } from '../test/checks.js';

const EDGES = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  1e21,
  1e-7,
  0.1,
  1 / 3,
  123456789.12345679,
  -1e300,
  1e300,
];
const value = fc.oneof(
  { weight: 3, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 1, arbitrary: fc.integer() },
);

interface Case {
  gauges: number[];
  counter: number[];
  histogram: number[];
}
const fuzzCase: fc.Arbitrary<Case> = fc.record({
  gauges: fc.array(value, { minLength: 1, maxLength: 8 }),
  counter: fc.array(value, { maxLength: 8 }),
  histogram: fc.array(value, { maxLength: 8 }),
});

const runs = Number(process.env.OGF_FUZZ_RUNS ?? 0);
const FUZZ = runs > 0 ? { numRuns: runs } : { numRuns: 40, seed: 20251127 };

/** The number a parser read, as JS sees it; the parsers give 'NaN', '+Inf', '-Inf' or a decimal. */
function readBack(text: string): number {
  return text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
}

function sameNumber(actual: number, expected: number): boolean {
  // -0 and 0 are the same sample to a scraper.
  return Object.is(actual, expected) || (actual === 0 && expected === 0);
}

function samplesOf(families: ParsedFamily[], family: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const sample of families.find((f) => f.name === family)?.samples ?? []) {
    if (sample.name.endsWith('_created')) continue;
    const key = `${sample.name}${JSON.stringify(
      Object.entries(sample.labels)
        .filter(([name]) => name !== 'otel_scope_name')
        .sort(),
    )}`;
    samples.set(key, readBack(sample.value));
  }
  return samples;
}

describe('adversarial values', () => {
  it('keeps both expositions valid and reads every gauge and counter value back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase, async ({ gauges, counter, histogram }) => {
        const { provider, exporter, reports } = setup();
        const meter = provider.getMeter('values');
        const gauge = meter.createGauge('fuzz_level', { description: 'gauge values' });
        gauges.forEach((v, index) => gauge.record(v, { series: String(index) }));
        const total = meter.createCounter('fuzz', { description: 'counter increments' });
        for (const v of counter) total.add(v);
        const spread = meter.createHistogram('fuzz_spread', {
          description: 'histogram observations',
          advice: { explicitBucketBoundaries: [-1, 0, 1e-300, 1, 1e300] },
        });
        for (const v of histogram) spread.record(v);

        const text = (await exporter.render({ format: 'text' })).body;
        const om = (await exporter.render({ format: 'openmetrics' })).body;
        const lint = promtoolCheckMetrics(text);
        expect(lint.exitCode, lint.findings.join('\n')).toBe(0);
        const omFamilies = parseOpenMetrics(om);
        const textFamilies = parseText(text);

        // Gauges: the last value of each series, exactly, in both formats.
        for (const families of [omFamilies, textFamilies]) {
          const read = samplesOf(families, 'fuzz_level');
          gauges.forEach((v, index) => {
            const got = read.get(`fuzz_level${JSON.stringify([['series', String(index)]])}`);
            expect(got !== undefined && sameNumber(got, v), `gauge ${index}: recorded ${v}, read ${String(got)}`).toBe(true);
          });
        }
        // Counters: the SDK drops negative increments; the rest add up in order (overflow gives
        // +Inf). A NaN total is no valid counter value: the exporter drops the point and says so.
        const expectedTotal = counter.filter((v) => !(v < 0)).reduce((sum, v) => sum + v, 0);
        if (counter.some((v) => !(v < 0))) {
          for (const families of [omFamilies, textFamilies]) {
            const got = samplesOf(families, 'fuzz').get('fuzz_total[]');
            if (Number.isNaN(expectedTotal)) expect(got).toBeUndefined();
            else
              expect(got !== undefined && sameNumber(got, expectedTotal), `counter: expected ${expectedTotal}, read ${String(got)}`).toBe(
                true,
              );
          }
        }
        expect(
          reports.some((r) => r.message.includes('"fuzz_total" has a NaN')),
          reports.map((r) => r.message).join('\n'),
        ).toBe(Number.isNaN(expectedTotal));
        await provider.shutdown();
      }),
      FUZZ,
    );
  }, 600_000);
});
