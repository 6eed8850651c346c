// The exporter asks the SDK for deltas and keeps the cumulative series itself. What a scraper
// reads must be exactly what the SDK's own cumulative collection gives for the same recordings,
// whoever collects and whenever.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { recordingFields } from '../test/recordings.js';
import { PrometheusExporter, createRenderCache, renderPrometheusText, toMetricsSnapshot } from './index.js';
import type { MetricsSnapshot } from './index.js';

/** The SDK's cumulative behaviour, as a reader that asks for nothing special. */
class CumulativeReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

type Step =
  | { op: 'counter' | 'updown' | 'histogram' | 'gauge'; series: number; value: number; fresh: boolean }
  | { op: 'observe'; values: number[] }
  | { op: 'collect' | 'render' | 'snapshot' };

const SERIES = 12;
const shared: Attributes[] = Array.from({ length: SERIES }, (_, i) => (i % 3 === 0 ? Object.freeze({ s: `s${i}` }) : { s: `s${i}` }));

/** Two providers fed the same recordings: ours, and the SDK's cumulative reference. */
function pair(limit: number): {
  exporter: PrometheusExporter;
  reference: CumulativeReader;
  apply(step: Step): Promise<void>;
} {
  const exporter = new PrometheusExporter({ cardinalityLimit: limit });
  const reference = new CumulativeReader({ cardinalitySelector: () => limit });
  const recorders = [new MeterProvider({ readers: [exporter] }), new MeterProvider({ readers: [reference] })].map((provider) => {
    const meter = provider.getMeter('fold', '1.0.0');
    const observed: number[] = [];
    meter.createObservableCounter('observed').addCallback((result) => {
      observed.forEach((value, i) => result.observe(value, shared[i]));
    });
    return {
      observed,
      counter: meter.createCounter('count'),
      updown: meter.createUpDownCounter('level'),
      histogram: meter.createHistogram('size', { advice: { explicitBucketBoundaries: [0, 1, 10, 100] } }),
      gauge: meter.createGauge('temperature'),
    };
  });
  return {
    exporter,
    reference,
    async apply(step) {
      // The SDK's cardinality limit counts the series of one collection interval, so the
      // reference collects whenever ours does.
      switch (step.op) {
        case 'collect':
        case 'render':
        case 'snapshot':
          await reference.collect();
          if (step.op === 'collect') await exporter.collect();
          else if (step.op === 'render') await exporter.render();
          else await exporter.snapshot();
          return;
        case 'observe':
          for (const r of recorders) r.observed.splice(0, r.observed.length, ...step.values);
          return;
        default:
          for (const r of recorders) {
            // A fresh object per call (as an object literal is), or the same one every time.
            const attributes = step.fresh ? { s: `s${step.series}` } : (shared[step.series] as Attributes);
            if (step.op === 'counter' || step.op === 'updown') r[step.op].add(step.value, attributes);
            else r[step.op].record(step.value, attributes);
          }
      }
    },
  };
}

const value = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(0.1));
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({ ...recordingFields(SERIES, value), fresh: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('observe'), values: fc.array(fc.nat({ max: 1e6 }), { maxLength: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('collect', 'render', 'snapshot') }) },
);

describe('cumulative series from the SDK deltas', () => {
  it('asks the SDK for deltas from synchronous instruments and cumulative data from observable ones', () => {
    const exporter = new PrometheusExporter();
    expect(exporter.selectAggregationTemporality('COUNTER' as never)).toBe(AggregationTemporality.DELTA);
    expect(exporter.selectAggregationTemporality('HISTOGRAM' as never)).toBe(AggregationTemporality.DELTA);
    expect(exporter.selectAggregationTemporality('OBSERVABLE_COUNTER' as never)).toBe(AggregationTemporality.CUMULATIVE);
  });

  it('exposes exactly what the SDK collects cumulatively, whatever collects in between', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), fc.constantFrom(4, 2000), async (steps, limit) => {
        const harness = pair(limit);
        const { exporter, reference } = harness;
        for (const s of steps) await harness.apply(s);
        const ours = (await exporter.render({ format: 'text' })).body;
        const expected = renderPrometheusText((await reference.collect()).resourceMetrics, { cache: createRenderCache() });
        expect(ours).toBe(expected);
        // The JSON view agrees too (times aside: the two providers record at different instants;
        // metric order aside: the SDK lists streams by registration, the store by first data).
        const comparable = (snapshot: MetricsSnapshot): unknown =>
          JSON.parse(
            JSON.stringify(
              { ...snapshot, metrics: [...snapshot.metrics].sort((x, y) => x.name.localeCompare(y.name)) },
              (key, v: unknown) => (key === 'startTime' || key === 'time' || key === 'timestamp' ? undefined : v),
            ),
          );
        const expectedSnapshot = toMetricsSnapshot((await reference.collect()).resourceMetrics);
        expect(comparable(await exporter.snapshot())).toEqual(comparable(expectedSnapshot));
      }),
      { numRuns: 150, seed: 17 },
    );
  });

  it('keeps the series a direct collect() folded, so a later scrape loses nothing', async () => {
    const exporter = new PrometheusExporter();
    const counter = new MeterProvider({ readers: [exporter] }).getMeter('m').createCounter('jobs');
    counter.add(2, { queue: 'a' });
    const first = await exporter.collect();
    counter.add(3, { queue: 'a' });
    const point = first.resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints[0];
    expect(point?.value).toBe(2);
    const body = (await exporter.render({ format: 'text' })).body;
    expect(body).toContain('jobs_total{queue="a",otel_scope_name="m"} 5\n');
    assertPromtoolClean(body);
  });

  it('lets a render in flight finish with the values it started with', async () => {
    const exporter = new PrometheusExporter({ sliceMs: 0.01, cardinalityLimit: 50_000 });
    const histogram = new MeterProvider({ readers: [exporter] }).getMeter('m').createHistogram('latency', { unit: 's' });
    for (let i = 0; i < 20_000; i++) histogram.record(0.5, { route: `r${i}` });
    const inflight = await exporter.renderStream({ format: 'text' });
    // Recorded and collected while the first render is still being read.
    for (let i = 0; i < 20_000; i++) histogram.record(7, { route: `r${i}` });
    const later = await exporter.collect();
    const text = await new Response(inflight.body).text();
    expect(text).toContain('latency_seconds_count{route="r19999",otel_scope_name="m"} 1\n');
    expect(text).not.toContain('} 2\n');
    const laterPoint = later.resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints[19_999];
    expect((laterPoint?.value as Histogram).count).toBe(2);
    expect((laterPoint?.value as Histogram).sum).toBe(7.5);
    expect((laterPoint?.value as Histogram).max).toBe(7);
  });

  it('lets the event loop run while it folds many changed series', async () => {
    const exporter = new PrometheusExporter({ sliceMs: 1, cardinalityLimit: 200_000 });
    const counter = new MeterProvider({ readers: [exporter] }).getMeter('m').createCounter('jobs');
    const labels = Array.from({ length: 100_000 }, (_, i) => ({ job: `j${i}` }));
    for (const attributes of labels) counter.add(1, attributes);
    let turns = 0;
    const tick = (): void => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const { resourceMetrics } = await exporter.collect();
    done = true;
    expect(resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints).toHaveLength(100_000);
    // The SDK's collect itself resolves through promise jobs only: the turns are the fold's slices.
    expect(turns).toBeGreaterThan(2);
  });

  it('folds concurrent collections one after the other, losing nothing', async () => {
    const exporter = new PrometheusExporter({ sliceMs: 0.01, cardinalityLimit: 50_000 });
    const counter = new MeterProvider({ readers: [exporter] }).getMeter('m').createCounter('jobs');
    const labels = Array.from({ length: 20_000 }, (_, i) => ({ job: `j${i}` }));
    for (const attributes of labels) counter.add(1, attributes);
    const first = exporter.collect();
    // A turn later the first collection has its deltas and is folding them in slices.
    await new Promise((resolve) => setImmediate(resolve));
    for (const attributes of labels) counter.add(2, attributes);
    const second = exporter.collect();
    await Promise.all([first, second]);
    const { resourceMetrics } = await exporter.collect();
    const points = resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints ?? [];
    expect(points).toHaveLength(20_000);
    expect(points.every((point) => point.value === 3)).toBe(true);
  });

  it('stamps series that did not change with the latest collection time', async () => {
    const exporter = new PrometheusExporter();
    new MeterProvider({ readers: [exporter] }).getMeter('m').createCounter('jobs').add(1);
    const first = await exporter.snapshot();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await exporter.snapshot();
    const [a, b] = [first, second].map((s) => s.metrics[0]?.points[0]);
    expect(b?.startTime).toBe(a?.startTime);
    expect(Date.parse(b?.time ?? '')).toBeGreaterThan(Date.parse(a?.time ?? ''));
  });
});
