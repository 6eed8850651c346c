// Text of unchanged series is reused between scrapes. Whatever was recorded, collected and
// scraped in between, a scraper must read exactly what a full render gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, MeterProvider } from '@opentelemetry/sdk-metrics';
import type { DataPoint, MetricProducer, ResourceMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { checked } from '../test/checks.js';
import { recordingFields } from '../test/recordings.js';
import { PrometheusExporter, createRenderCache, isOgfError } from './index.js';
import type { Exemplar } from './index.js';
import type { Chunk } from './chunk.js';
import { joinChunks } from './chunk.js';
import { planFamilies } from './plan.js';
import { createCursor } from './render.js';
import type { ReuseRound, SourceReuse } from './reuse.js';
import { createTextReuse } from './reuse.js';

type Step =
  | { op: 'counter' | 'updown' | 'histogram' | 'gauge'; series: number; value: number }
  | { op: 'lossy'; dotted: boolean; value: number; scope: number }
  | { op: 'observe'; values: number[] }
  | { op: 'text' | 'openmetrics' | 'stream' | 'collect' };

const SERIES = 150;
const labels: Attributes[] = Array.from({ length: SERIES }, (_, i) => ({ worker: `w${i}`, pool: `p${i % 7}` }));

/** One provider, two exporters: text reuse on (the default) and off. */
function pair(withoutScopeLabels: boolean): { apply(step: Step): Promise<void> } {
  // Without scope labels the two scopes' series share one label space and can collide.
  const reusing = new PrometheusExporter({ withoutScopeLabels });
  const plain = new PrometheusExporter({ withoutScopeLabels, reuseUnchangedText: false });
  const provider = new MeterProvider({ readers: [reusing, plain] });
  // Two scopes with the same instruments: every family has two sources.
  const instruments = [provider.getMeter('reuse', '1.0.0'), provider.getMeter('other')].map((meter) => ({
    counter: meter.createCounter('jobs'),
    updown: meter.createUpDownCounter('level'),
    histogram: meter.createHistogram('size', { advice: { explicitBucketBoundaries: [0, 1, 10, 100] } }),
    // 40 buckets: a block holds a single point.
    wide: meter.createHistogram('wide', { advice: { explicitBucketBoundaries: Array.from({ length: 40 }, (_, i) => i * 25) } }),
    gauge: meter.createGauge('temperature'),
  }));
  let observed: number[] = [];
  provider
    .getMeter('reuse', '1.0.0')
    .createObservableGauge('observed')
    .addCallback((result) => {
      observed.forEach((value, i) => result.observe(value, labels[i]));
    });
  let streams = 0;
  const body = async (exporter: PrometheusExporter, op: 'text' | 'openmetrics' | 'stream'): Promise<string> => {
    if (op !== 'stream') return (await exporter.render({ format: op })).body;
    const format = streams % 2 === 0 ? 'openmetrics' : 'text';
    return new Response((await exporter.renderStream({ format })).body).text();
  };
  return {
    async apply(step) {
      switch (step.op) {
        case 'text':
        case 'openmetrics':
        case 'stream': {
          const expected = await body(plain, step.op);
          expect(await body(reusing, step.op)).toBe(expected);
          if (step.op === 'stream') streams++;
          return;
        }
        case 'collect':
          // A direct collect between scrapes folds data the next scrape must still show.
          await reusing.collect();
          return;
        case 'observe':
          observed = step.values;
          return;
        case 'lossy':
          // Two keys that both become `a_b`: the later series is dropped, on every scrape alike.
          instruments[step.scope]?.counter.add(step.value, step.dotted ? { 'a.b': 'x' } : { a_b: 'x' });
          return;
        default: {
          // Every series in the first scope, every third also in the second.
          const scopes = step.series % 3 === 0 ? instruments : instruments.slice(0, 1);
          for (const i of scopes) {
            const attributes = labels[step.series];
            if (step.op === 'counter' || step.op === 'updown') i[step.op].add(step.value, attributes);
            else if (step.op === 'gauge') i.gauge.record(step.value, attributes);
            else {
              i.histogram.record(step.value, attributes);
              i.wide.record(step.value, attributes);
            }
          }
        }
      }
    },
  };
}

const value = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(recordingFields(SERIES, value)),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('lossy'), dotted: fc.boolean(), value, scope: fc.nat({ max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('observe'), values: fc.array(fc.nat({ max: 1e6 }), { maxLength: 40 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constantFrom('text', 'openmetrics', 'stream', 'collect') }) },
);

/** A round that counts the blocks it handed back. */
function counting(round: ReuseRound): { round: ReuseRound; hits: () => number } {
  let hits = 0;
  return {
    hits: () => hits,
    round: {
      ...round,
      source(key, points, blockSize): SourceReuse {
        const source = round.source(key, points, blockSize);
        return {
          ...source,
          blockSize: source.blockSize,
          reused(index, start, end) {
            const kept = source.reused(index, start, end);
            if (kept !== undefined) hits++;
            return kept;
          },
        };
      },
    },
  };
}

/** `n` cumulative points, one series each (`attributes(i)`), valued i. */
function pointsOf(n: number, attributes: (i: number) => Attributes = (i) => ({ job: `j${i}` })): DataPoint<number>[] {
  const time: [number, number] = [1, 0];
  return Array.from({ length: n }, (_, i) => ({ attributes: attributes(i), startTime: time, endTime: time, value: i }));
}

/** A cumulative counter with the given points, as a collection. */
function collection(points: DataPoint<number>[]): ResourceMetrics {
  const metric: SumMetricData = {
    descriptor: { name: 'jobs', description: '', unit: '', valueType: 1 },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic: true,
    dataPoints: points,
  };
  return { resource: resourceFromAttributes({}), scopeMetrics: [{ scope: { name: 'm' }, metrics: [metric] }] };
}

function renderWith(resourceMetrics: ResourceMetrics, round: ReuseRound): string {
  const cache = createRenderCache();
  const families = planFamilies(resourceMetrics, [], { withoutTargetInfo: true }, cache, () => undefined);
  const cursor = createCursor(families, { openMetrics: false, created: false }, cache, () => undefined, round);
  const chunks: Chunk[] = [];
  let done = false;
  while (!done) {
    done = cursor.step(1024);
    chunks.push(cursor.take());
  }
  return joinChunks(chunks);
}

describe('reusing the text of unchanged series', () => {
  it('scrapes exactly what a full render gives, whatever was recorded, collected and scraped in between', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 80 }), fc.boolean(), async (steps, withoutScopeLabels) => {
        const harness = pair(withoutScopeLabels);
        for (const s of steps) await harness.apply(s);
        await harness.apply({ op: 'text' });
        await harness.apply({ op: 'openmetrics' });
      }),
      { numRuns: 120, seed: 29 },
    );
  });

  it('reuses every block whose points are the same objects, and renders the blocks with a changed point', () => {
    const reuse = createTextReuse(() => true);
    const points = pointsOf(100);
    const first = counting(reuse.round());
    const full = renderWith(collection(points), first.round);
    expect(first.hits()).toBe(0);
    const second = counting(reuse.round());
    expect(renderWith(collection(points), second.round)).toBe(full);
    expect(second.hits()).toBe(4); // 100 one-line points in blocks of 32
    const changed = points.slice();
    changed[40] = { ...(points[40] as DataPoint<number>), value: 4000 };
    const third = counting(reuse.round());
    const text = renderWith(collection(changed), third.round);
    expect(third.hits()).toBe(3);
    expect(text).toBe(full.replace('jobs_total{job="j40",otel_scope_name="m"} 40\n', 'jobs_total{job="j40",otel_scope_name="m"} 4000\n'));
    assertPromtoolClean(text);
  });

  // Blocks hold 32 one-line points; each row names the first series of the first three blocks.
  // A dropped duplicate must stay dropped whether the block holding its twin is reused or rendered.
  it.each([
    ['its lossy twin sits in a reused block before it', [undefined, { 'a.b': 'x' }, { a_b: 'x' }]],
    ['the duplicate check already runs and its twin sits in a reused block', [{ n: 1 }, { a_b: 'x' }, { 'a.b': 'x' }]],
  ])('keeps dropping a colliding series on every scrape when %s', async (_, firsts: (Attributes | undefined)[]) => {
    const reusing = new PrometheusExporter({ withoutTargetInfo: true, onError: () => undefined });
    const plain = new PrometheusExporter({ withoutTargetInfo: true, onError: () => undefined, reuseUnchangedText: false });
    const counter = new MeterProvider({ readers: [reusing, plain] }).getMeter('m').createCounter('jobs');
    let job = 0;
    for (const first of firsts) {
      if (first !== undefined) counter.add(1, first);
      for (let i = first === undefined ? 0 : 1; i < 32; i++) counter.add(1, { job: `j${job++}` });
    }
    for (let scrape = 0; scrape < 4; scrape++) {
      // From the third scrape on the first and third blocks change while the second stays.
      if (scrape >= 2) for (const changed of ['j0', `j${job - 1}`]) counter.add(1, { job: changed });
      const body = (await reusing.render({ format: 'text' })).body;
      expect(body).toBe((await plain.render({ format: 'text' })).body);
      expect(body.match(/a_b="x"/g)).toHaveLength(1);
      assertPromtoolClean(body);
    }
  });

  it('renders a last block again when the same points end earlier', () => {
    const reuse = createTextReuse(() => true);
    const points = pointsOf(40);
    renderWith(collection(points), reuse.round());
    const shorter = counting(reuse.round());
    const text = renderWith(collection(points.slice(0, 37)), shorter.round);
    expect(shorter.hits()).toBe(1);
    expect(text).toBe(renderWith(collection(points.slice(0, 37)), createTextReuse(() => true).round()));
    expect(text).not.toContain('j37');
  });

  it('reuses the blocks of a family whose labels map lossily, and still drops a new series that prints like an old one', () => {
    const reuse = createTextReuse(() => true);
    // Dotted keys and number values (as OTel semantic conventions have them) both map lossily.
    const points = pointsOf(100, (i) => ({ 'http.route': `/r${i}`, 'http.response.status_code': 200 + (i % 3) }));
    const first = renderWith(collection(points), reuse.round());
    const second = counting(reuse.round());
    expect(renderWith(collection(points), second.round)).toBe(first);
    expect(second.hits()).toBe(4);
    const twin = { ...(points[5] as DataPoint<number>), attributes: { http_route: '/r5', 'http.response.status_code': 202 }, value: 7 };
    const grown = [...points, twin];
    const third = counting(reuse.round());
    const text = renderWith(collection(grown), third.round);
    expect(third.hits()).toBe(3); // the last block grew
    expect(text).toBe(renderWith(collection(grown), createTextReuse(() => true).round()));
    expect(text.match(/http_route="\/r5"/g)).toHaveLength(1);
    expect(text).toBe(first);
  });

  // Scopes that print the same labels share one label space: a series may repeat across them.
  it.each([
    ['scope labels are off', { withoutScopeLabels: true }, [{ name: 'a' }, { name: 'b' }]],
    ['two scopes differ only in their schema URL', {}, [{ name: 'a' }, { name: 'a', schemaUrl: 'https://example.com/s' }]],
  ])(
    'drops and reports a series repeated by a second scope when %s, on every scrape',
    async (_, options, scopes: { name: string; schemaUrl?: string }[]) => {
      const reports: string[] = [];
      const onError = (error: { code: string }): void => void reports.push(error.code);
      const reusing = new PrometheusExporter({ ...options, withoutTargetInfo: true, onError });
      const plain = new PrometheusExporter({ ...options, withoutTargetInfo: true, reuseUnchangedText: false });
      const provider = new MeterProvider({ readers: [reusing, plain] });
      const counters = scopes.map((scope) =>
        provider.getMeter(scope.name, undefined, { schemaUrl: scope.schemaUrl }).createCounter('jobs'),
      );
      counters.forEach((counter, i) => {
        for (let job = 0; job < 40; job++) counter.add(i + 1, { job: `j${job}` });
      });
      for (let scrape = 0; scrape < 4; scrape++) {
        if (scrape === 2) counters[1]?.add(1, { job: 'j39' });
        const body = (await reusing.render({ format: 'text' })).body;
        expect(body).toBe((await plain.render({ format: 'text' })).body);
        expect(body.match(/^jobs_total\{job="j7"/gm)).toHaveLength(1);
        assertPromtoolClean(body);
      }
      expect(reports).toContain('ERR_OGF_DUPLICATE_SERIES');
    },
  );

  it('streams reused text that is not ASCII as the same UTF-8 bytes as a full render', async () => {
    const { provider, plain, reusing } = (() => {
      const a = new PrometheusExporter({ reuseUnchangedText: false });
      const b = new PrometheusExporter();
      return { provider: new MeterProvider({ readers: [a, b] }), plain: a, reusing: b };
    })();
    const counter = provider.getMeter('m').createCounter('jobs');
    for (let i = 0; i < 100; i++) counter.add(1, { city: i % 3 === 0 ? `Zürich ${i} 🌍` : `Bern ${i}` });
    for (let scrape = 0; scrape < 3; scrape++) {
      if (scrape === 2) counter.add(1, { city: 'Zürich 3 🌍' });
      const expected = (await plain.render({ format: 'text' })).body;
      const bytes = new Uint8Array(await new Response((await reusing.renderStream({ format: 'text' })).body).arrayBuffer());
      expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(expected);
      expect(expected).toContain('jobs_total{city="Zürich 3 🌍",otel_scope_name="m"} ' + (scrape === 2 ? '2' : '1'));
    }
  });

  it('never reuses the points of a producer that changes them in place', async () => {
    const time: [number, number] = [1, 0];
    const point = { attributes: { job: 'a' }, startTime: time, endTime: time, value: 1 };
    const collected = collection([point]);
    const producer: MetricProducer = { collect: () => Promise.resolve({ resourceMetrics: collected, errors: [] }) };
    const exporter = new PrometheusExporter({ metricProducers: [producer], withoutTargetInfo: true });
    new MeterProvider({ readers: [exporter] });
    for (const value of [1, 2, 3, 4]) {
      point.value = value;
      const body = (await exporter.render({ format: 'text' })).body;
      expect(body).toContain(`jobs_total{job="a",otel_scope_name="m"} ${value}\n`);
    }
  });

  it('asks the exemplar source again on every scrape, even when no series changed', async () => {
    let newest: Exemplar = { labels: { trace_id: 'first' }, value: 1 };
    const exporter = new PrometheusExporter({ exemplars: { exemplars: () => [newest] } });
    const meter = new MeterProvider({ readers: [exporter] }).getMeter('m');
    meter.createCounter('jobs').add(1, { queue: 'a' });
    meter.createHistogram('wait', { unit: 's', advice: { explicitBucketBoundaries: [1, 5] } }).record(1, { queue: 'a' });
    for (const id of ['first', 'second', 'third']) {
      newest = { labels: { trace_id: id }, value: 1 };
      const om = (await exporter.render({ format: 'openmetrics' })).body;
      const text = (await exporter.render({ format: 'text' })).body;
      checked(text, om);
      expect(om).toContain(`jobs_total{queue="a",otel_scope_name="m"} 1 # {trace_id="${id}"} 1\n`);
      expect(om).toContain(`wait_seconds_bucket{queue="a",otel_scope_name="m",le="1"} 1 # {trace_id="${id}"} 1\n`);
    }
  });

  it('rejects a reuseUnchangedText that is not a boolean', () => {
    let error: unknown;
    try {
      new PrometheusExporter({ reuseUnchangedText: 'yes' as unknown as boolean });
    } catch (caught) {
      error = caught;
    }
    expect(isOgfError(error) && error.code).toBe('ERR_OGF_INVALID_OPTION');
    expect(String(error)).toContain('reuseUnchangedText must be true or false');
  });
});
