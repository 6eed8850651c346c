// Property: whatever exemplars a source hands over (adversarial label names and values, lengths
// around the 128-character limit, any value or timestamp), the OpenMetrics exposition passes the
// strict parser (and its exemplar checks), each bucket carries exactly the newest exemplar that
// falls in it when that one is valid, and text 0.0.4 stays promtool-clean without any.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { setup } from '../test/checks.js';
import type { Exemplar } from './index.js';

const BOUNDS = [1, 10];
const VALID_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const name = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('trace_id', 'span_id', 'a', '_x9') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('"', '\\', '\n', '\uD800', 'é', '} 1 # {', '# EOF\n'),
  fc.nat(130).chain((n) => fc.constantFrom('x', 'é', '\u{1F600}').map((c) => c.repeat(n))),
);
const exemplar: fc.Arbitrary<Exemplar> = fc.record(
  {
    labels: fc.dictionary(name, value, { maxKeys: 3 }),
    value: fc.oneof(fc.double({ min: -5, max: 50 }), fc.constantFrom(0, 1, 10, Number.NaN, Infinity, -Infinity)),
    timeUnixMs: fc.nat(2_000_000_000_000),
  },
  { requiredKeys: ['labels', 'value'] },
);

const length = (labels: Readonly<Record<string, string>>): number =>
  Object.entries(labels).reduce((n, [k, v]) => n + [...k].length + [...v].length, 0);
const valid = (e: Exemplar): boolean =>
  Object.keys(e.labels).every((k) => VALID_NAME.test(k)) &&
  Object.values(e.labels).every((v) => !v.includes('}')) &&
  length(e.labels) <= 128 &&
  Number.isFinite(e.value);

/** The model: newest per bucket (ties: the later one), NaN placed nowhere, then dropped if invalid. */
function expected(exemplars: readonly Exemplar[]): Map<string, Exemplar> {
  const buckets = new Map<string, Exemplar>();
  for (const e of exemplars) {
    if (Number.isNaN(e.value)) continue;
    const i = BOUNDS.findIndex((b) => e.value <= b);
    const le = i === -1 ? '+Inf' : String(BOUNDS[i]);
    const current = buckets.get(le);
    if (current === undefined || (e.timeUnixMs ?? 0) >= (current.timeUnixMs ?? 0)) buckets.set(le, e);
  }
  for (const [le, e] of buckets) if (!valid(e)) buckets.delete(le);
  return buckets;
}

describe('exemplars, adversarial property', () => {
  it('the strict parser accepts every exposition and reads back exactly the valid newest exemplar per bucket', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(exemplar, { maxLength: 8 }), async (exemplars) => {
        const { provider, exporter } = setup({ exemplars: { exemplars: () => exemplars }, withoutTargetInfo: true });
        provider
          .getMeter('prop')
          .createHistogram('h', { advice: { explicitBucketBoundaries: BOUNDS } })
          .record(5);
        const text = (await exporter.render({ format: 'text' })).body;
        assertPromtoolClean(text);
        expect(text).not.toContain(' # {');
        const samples = parseOpenMetrics((await exporter.render({ format: 'openmetrics' })).body).flatMap((f) => f.samples);
        const got = new Map(samples.filter((s) => s.exemplar !== null).map((s) => [s.labels.le ?? '', s.exemplar]));
        const want = expected(exemplars);
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [le, e] of want) {
          const read = got.get(le);
          expect(read?.labels).toEqual(Object.fromEntries(Object.entries(e.labels).map(([k, v]) => [k, v.toWellFormed()])));
          expect(Number(read?.value)).toBe(e.value === 0 ? 0 : e.value);
          if (e.timeUnixMs === undefined) expect(read?.timestamp).toBeNull();
          else expect(Math.abs(Number(read?.timestamp) - e.timeUnixMs / 1000)).toBeLessThan(1e-3);
        }
        await provider.shutdown();
      }),
      // A fixed seed so CI runs the same cases; OGF_FUZZ_RUNS=500 explores more.
      Number(process.env.OGF_FUZZ_RUNS ?? 0) > 0 ? { numRuns: Number(process.env.OGF_FUZZ_RUNS) } : { numRuns: 40, seed: 20261127 },
    );
  }, 300_000);
});
