// Random metric sets for the streamed-path property tests: hostile label keys and values, HELP
// texts and exemplar label values, sizes from one series to enough lines for many chunks. Names
// and units stay within what promtool's linter accepts, so every exposition must be finding-free.
import fc from 'fast-check';
import type { Meter } from '@opentelemetry/api';
import type { Exemplar, ExemplarSource } from '../src/index.js';

type Kind = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

export interface MetricSpec {
  kind: Kind;
  suffix: string;
  unit: string;
  description: string;
  bounds: number[];
  /** Attribute sets cycled over the series; each series also gets a unique `k`. */
  pool: Record<string, string>[];
  count: number;
  values: number[];
  exemplars: Exemplar[];
}

export interface MetricSet {
  metrics: MetricSpec[];
  exemplars: ExemplarSource;
}

const HOSTILE = [
  '"',
  '\\',
  '\n',
  '"} 1\nforged_total{a="',
  '\uD800',
  '\uDC00',
  '\u{1F600}',
  '# EOF\n',
  '{',
  ',',
  '=',
  ' ',
  '\t',
  'é',
  '\u2028',
];
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join('')),
);
// Lower case (promtool lints camelCase label names), never exactly `k` (the unique series label).
const labelKey = fc.oneof(
  fc.constantFrom('le', 'quantile', 'otel_scope_name', '__x', '0a', 'a.b', 'a-b', 'é', 'a b', '\uD800', ''),
  fc.string({ unit: fc.constantFrom('a', 'c', 'e', 'z', '.', '-', ' ', 'é', '0', '_', '/'), minLength: 1, maxLength: 6 }),
);
// Letters that spell no unit abbreviation, type name or reserved suffix promtool would flag.
const nameSuffix = fc.string({
  unit: fc.constantFrom('a', 'c', 'e', 'f', 'i', 'l', 'o', 'r', 'v', 'x', 'z', '.', '-', '/', '_', '0'),
  maxLength: 8,
});
const exemplarValue = hostile.map((text) => text.replaceAll('}', '').slice(0, 20));
const exemplar: fc.Arbitrary<Exemplar> = fc.record(
  {
    labels: fc.dictionary(fc.constantFrom('trace_id', 'span_id', 'a'), exemplarValue, { maxKeys: 3 }),
    value: fc.double({ min: 0, max: 50, noNaN: true }),
    timeUnixMs: fc.nat(2_000_000_000_000),
  },
  { requiredKeys: ['labels', 'value'] },
);

const spec: fc.Arbitrary<MetricSpec> = fc.record({
  kind: fc.constantFrom<Kind>('counter', 'updowncounter', 'gauge', 'histogram'),
  suffix: nameSuffix,
  unit: fc.constantFrom('', 's', 'By', '{item}'),
  description: fc.oneof(hostile, fc.constant('')),
  bounds: fc.constantFrom([1, 10], [0.5], [-5, 0, 2.5], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  pool: fc.array(fc.dictionary(labelKey, hostile, { maxKeys: 3 }), { minLength: 1, maxLength: 3 }),
  count: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 200, max: 1_500 }) }),
  values: fc.array(fc.integer({ min: -10, max: 20 }), { minLength: 1, maxLength: 5 }),
  exemplars: fc.array(exemplar, { maxLength: 3 }),
});

/** One to five metrics, with an exemplar source answering each metric's exemplars. */
export const arbitraryMetricSet: fc.Arbitrary<MetricSet> = fc.array(spec, { minLength: 1, maxLength: 5 }).map((metrics) => {
  const byName = new Map(metrics.map((metric, index) => [nameOf(index, metric), metric.exemplars]));
  return { metrics, exemplars: { exemplars: ({ name }) => byName.get(name) ?? [] } };
});

type Options = { unit: string; description: string; advice: { explicitBucketBoundaries: number[] } };

function instrument(meter: Meter, kind: Kind, name: string, options: Options): (value: number, attributes: Record<string, string>) => void {
  if (kind === 'counter') {
    const counter = meter.createCounter(name, options);
    return (value, attributes) => counter.add(value, attributes);
  }
  if (kind === 'updowncounter') {
    const counter = meter.createUpDownCounter(name, options);
    return (value, attributes) => counter.add(value, attributes);
  }
  const recorder = kind === 'gauge' ? meter.createGauge(name, options) : meter.createHistogram(name, options);
  return (value, attributes) => recorder.record(value, attributes);
}

function nameOf(index: number, metric: MetricSpec): string {
  return `m${index}_${metric.suffix}`;
}

/** What a scraper must read back: sample counts per format (OpenMetrics without `_created`), and whether any exemplar. */
export interface Recorded {
  textSamples: number;
  omSamples: number;
  exemplarsExpected: boolean;
}

/** Records the set on `meter` (one measurement per series) and says what the exposition must hold. */
export function record(meter: Meter, set: MetricSet): Recorded {
  const recorded: Recorded = { textSamples: 0, omSamples: 0, exemplarsExpected: false };
  set.metrics.forEach((metric, index) => {
    const options = { unit: metric.unit, description: metric.description, advice: { explicitBucketBoundaries: metric.bounds } };
    const name = nameOf(index, metric);
    const add = instrument(meter, metric.kind, name, options);
    for (let j = 0; j < metric.count; j++) {
      const raw = metric.values[j % metric.values.length] as number;
      // Counters and histograms take no negative measurements (the SDK drops them).
      const value = metric.kind === 'counter' || metric.kind === 'histogram' ? Math.abs(raw) : raw;
      add(value, { ...metric.pool[j % metric.pool.length], k: String(j) });
      if (metric.kind !== 'histogram') {
        recorded.textSamples++;
        recorded.omSamples++;
        continue;
      }
      // Buckets and +Inf; `_sum` (and in OpenMetrics `_count`) only without negative bounds.
      const sumOk = !((metric.bounds[0] as number) < 0);
      recorded.textSamples += metric.bounds.length + 1 + (sumOk ? 2 : 1);
      recorded.omSamples += metric.bounds.length + 1 + (sumOk ? 2 : 0);
    }
    if ((metric.kind === 'counter' || metric.kind === 'histogram') && metric.exemplars.length > 0) recorded.exemplarsExpected = true;
  });
  return recorded;
}

/** A streamed body's bytes, concatenated, and how many chunks were not whole UTF-8 on their own. */
export async function readBytes(body: ReadableStream<Uint8Array>): Promise<{ bytes: Uint8Array; splitCharacters: number }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: Uint8Array[] = [];
  let splitCharacters = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    parts.push(chunk);
    try {
      decoder.decode(chunk);
    } catch {
      splitCharacters++;
    }
  }
  return { bytes: Buffer.concat(parts), splitCharacters };
}
