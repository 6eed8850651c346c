// Exemplars end to end inside one process: batch metrics recorded inside real SDK spans, collected by
// the real PrometheusExporter of @ogf/prom-export reading the reservoir, checked by promtool and the
// strict OpenMetrics parser.
import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { PrometheusExporter } from '@ogf/prom-export';
import type { ParsedFamily } from '@ogf/testkit/openmetrics';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchMetrics, createExemplarReservoir, parseExemplarFilter } from '@ogf/metrics';
import type { ExemplarFilter } from '@ogf/metrics';

const tracer = new BasicTracerProvider().getTracer('test');
const manager = new AsyncLocalStorageContextManager();
beforeAll(() => void context.setGlobalContextManager(manager.enable()));
afterAll(() => context.disable());

function rig(filter?: ExemplarFilter): { exporter: PrometheusExporter; metrics: ReturnType<typeof createBatchMetrics> } {
  const reservoir = createExemplarReservoir(filter === undefined ? {} : { filter });
  const exporter = new PrometheusExporter({ exemplars: reservoir, withoutTargetInfo: true });
  const provider = new MeterProvider({ readers: [exporter] });
  return { exporter, metrics: createBatchMetrics({ meterProvider: reservoir.wrap(provider) }) };
}

/** Runs `fn` inside an active span; returns the span. */
function inSpan(fn: () => void, sampled = true): Span {
  const span = sampled
    ? tracer.startSpan('batch.processing')
    : trace.wrapSpanContext({ traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceFlags: TraceFlags.NONE });
  context.with(trace.setSpan(context.active(), span), fn);
  span.end();
  return span;
}

const processBatch = (metrics: ReturnType<typeof createBatchMetrics>, durationMs: number): void => {
  metrics.recordBatchStarted();
  metrics.recordBatchCompletion({ durationMs, emissionsKg: 1 });
};

async function scrapeBoth(exporter: PrometheusExporter): Promise<{ om: ParsedFamily[]; text: string }> {
  const text = (await exporter.render({ format: 'text' })).body;
  assertPromtoolClean(text);
  return { om: parseOpenMetrics((await exporter.render({ format: 'openmetrics' })).body), text };
}

const buckets = (families: ParsedFamily[], name: string): ParsedFamily['samples'] =>
  families.find((f) => f.name === name)?.samples.filter((s) => s.name === `${name}_bucket`) ?? [];

describe('exemplars from the reservoir', () => {
  it("puts the span's trace id on the batch_processing_duration_seconds bucket of a batch processed inside it, in OpenMetrics only", async () => {
    const { exporter, metrics } = rig();
    const span = inSpan(() => processBatch(metrics, 1200));
    const { traceId, spanId } = span.spanContext();
    const { om, text } = await scrapeBoth(exporter);
    const withExemplar = buckets(om, 'batch_processing_duration_seconds').filter((s) => s.exemplar !== null);
    expect(withExemplar.map((s) => [s.labels.le, s.exemplar?.labels, s.exemplar?.value])).toEqual([
      ['2.5', { trace_id: traceId, span_id: spanId }, '1.2'],
    ]);
    expect(Number(withExemplar[0]?.exemplar?.timestamp)).toBeGreaterThan(1_600_000_000);
    expect(text).toContain('batch_processing_duration_seconds_bucket');
    expect(text).not.toContain('trace_id');
    expect(text).not.toContain(' # {');
  });

  it('keeps the newest exemplar per bucket, one per bucket, per series', async () => {
    const { exporter, metrics } = rig();
    const first = inSpan(() => processBatch(metrics, 100)).spanContext().traceId;
    const older = inSpan(() => processBatch(metrics, 3000)).spanContext().traceId;
    const newer = inSpan(() => processBatch(metrics, 4000)).spanContext().traceId;
    const { om } = await scrapeBoth(exporter);
    const byLe = Object.fromEntries(
      buckets(om, 'batch_processing_duration_seconds')
        .filter((s) => s.exemplar !== null)
        .map((s) => [s.labels.le, s.exemplar?.labels.trace_id]),
    );
    expect(byLe).toEqual({ '0.1': first, '5': newer });
    expect(Object.values(byLe)).not.toContain(older);
  });

  it('trace_based takes only sampled spans; always_on takes unsampled ones too; nothing outside a span', async () => {
    for (const [filter, expected] of [
      ['trace_based', 0],
      ['always_on', 1],
    ] as const) {
      const { exporter, metrics } = rig(filter);
      inSpan(() => processBatch(metrics, 1200), false);
      processBatch(metrics, 100);
      const { om } = await scrapeBoth(exporter);
      const found = buckets(om, 'batch_processing_duration_seconds').filter((s) => s.exemplar !== null);
      expect(found.map((s) => s.exemplar?.labels.trace_id)).toEqual(expected === 0 ? [] : ['f'.repeat(32)]);
    }
  });

  it('always_off wraps nothing: the provider is returned as is and no exemplar is written', async () => {
    const reservoir = createExemplarReservoir({ filter: 'always_off' });
    const provider = new MeterProvider();
    expect(reservoir.wrap(provider)).toBe(provider);
    const { exporter, metrics } = rig('always_off');
    inSpan(() => processBatch(metrics, 1200));
    const { om } = await scrapeBoth(exporter);
    expect(om.flatMap((f) => f.samples).filter((s) => s.exemplar !== null)).toEqual([]);
  });

  it('bounds memory: series beyond maxSeriesPerInstrument keep no exemplar', () => {
    const reservoir = createExemplarReservoir({ maxSeriesPerInstrument: 2 });
    const histogram = reservoir.wrap(new MeterProvider()).getMeter('m').createHistogram('h');
    inSpan(() => ['a', 'b', 'c'].forEach((k) => histogram.record(1, { k })));
    const has = (k: string): boolean => (reservoir.exemplars({ scope: 'm', name: 'h', attributes: { k } }) ?? []).length > 0;
    expect([has('a'), has('b'), has('c')]).toEqual([true, true, false]);
  });

  it('names the slowest kept exemplar of an instrument, across series, within a time window', () => {
    let now = 1_000;
    const reservoir = createExemplarReservoir({ now: () => now });
    const histogram = reservoir
      .wrap(new MeterProvider())
      .getMeter('m')
      .createHistogram('h', { advice: { explicitBucketBoundaries: [1, 10] } });
    const slow = inSpan(() => histogram.record(8, { k: 'a' })).spanContext().spanId;
    now = 5_000;
    const recent = inSpan(() => histogram.record(3, { k: 'b' })).spanContext().spanId;
    expect(reservoir.slowest({ scope: 'm', name: 'h' })).toMatchObject({ value: 8, labels: { span_id: slow }, timeUnixMs: 1_000 });
    expect(reservoir.slowest({ scope: 'm', name: 'h', sinceUnixMs: 2_000 })).toMatchObject({ value: 3, labels: { span_id: recent } });
    expect(reservoir.slowest({ scope: 'm', name: 'h', sinceUnixMs: 6_000 })).toBeUndefined();
    expect(reservoir.slowest({ scope: 'm', name: 'other' })).toBeUndefined();
  });

  it('reads the filter like OTEL_METRICS_EXEMPLAR_FILTER and rejects unknown names and options', () => {
    expect(parseExemplarFilter(undefined)).toBe('trace_based');
    expect(parseExemplarFilter(' Always_On ')).toBe('always_on');
    expect(() => parseExemplarFilter('sometimes', 'OTEL_METRICS_EXEMPLAR_FILTER')).toThrow(
      /OTEL_METRICS_EXEMPLAR_FILTER must be one of "trace_based", "always_on", "always_off", got "sometimes"/,
    );
    expect(() => createExemplarReservoir({ maxSeriesPerInstrument: 0 })).toThrow(/positive integer/);
    expect(() => new PrometheusExporter({ exemplars: {} as never })).toThrow(/exemplars\(query\) method/);
  });
});
