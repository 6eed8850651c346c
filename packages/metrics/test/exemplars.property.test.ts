// Property: whatever trace ids, span ids and values are recorded, in whatever order, the
// OpenMetrics exposition is accepted by the strict parser, every bucket's exemplar is the newest
// measurement that fell in that bucket (with its trace and span id), and text 0.0.4 carries none.
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@ogf/prom-export';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExemplarReservoir } from '@ogf/metrics';

const manager = new AsyncLocalStorageContextManager();
beforeAll(() => void context.setGlobalContextManager(manager.enable()));
afterAll(() => context.disable());

const BOUNDS = [0, 0.005, 0.1, 1, 2.5, 10, 1000];
const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length }).filter((s) => /[^0]/.test(s));
const measurement = fc.record({
  traceId: hex(32),
  spanId: hex(16),
  value: fc.oneof(fc.constantFrom(...BOUNDS), fc.double({ min: 0, max: 1e6, noNaN: true })),
  series: fc.constantFrom('a', 'b'),
});

describe('exemplars, property', () => {
  it('every bucket carries the newest measurement that fell in it, and every exposition parses strictly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(measurement, { minLength: 1, maxLength: 40 }), async (measurements) => {
        const reservoir = createExemplarReservoir();
        const exporter = new PrometheusExporter({ exemplars: reservoir, withoutTargetInfo: true, withoutScopeLabels: true });
        const provider = new MeterProvider({ readers: [exporter] });
        const histogram = reservoir
          .wrap(provider)
          .getMeter('prop')
          .createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: BOUNDS } });
        const expected = new Map<string, { traceId: string; spanId: string; value: number }>();
        for (const m of measurements) {
          const span = trace.wrapSpanContext({ traceId: m.traceId, spanId: m.spanId, traceFlags: TraceFlags.SAMPLED });
          context.with(trace.setSpan(context.active(), span), () => histogram.record(m.value, { series: m.series }));
          const i = BOUNDS.findIndex((bound) => m.value <= bound);
          expected.set(`${m.series}/${i === -1 ? '+Inf' : String(BOUNDS[i])}`, { traceId: m.traceId, spanId: m.spanId, value: m.value });
        }
        const text = (await exporter.render({ format: 'text' })).body;
        assertPromtoolClean(text);
        expect(text).not.toContain('#{');
        expect(text).not.toContain('trace_id');
        const om = parseOpenMetrics((await exporter.render({ format: 'openmetrics' })).body);
        const seen = new Map<string, { traceId: string; spanId: string; value: number }>();
        for (const sample of om.flatMap((f) => f.samples)) {
          if (sample.exemplar === null) continue;
          expect(sample.name).toBe('job_duration_seconds_bucket');
          const { trace_id: traceId, span_id: spanId } = sample.exemplar.labels;
          seen.set(`${sample.labels.series}/${sample.labels.le}`, {
            traceId: traceId ?? '',
            spanId: spanId ?? '',
            value: Number(sample.exemplar.value),
          });
        }
        expect(seen).toEqual(expected);
        await provider.shutdown();
      }),
      { numRuns: 40 },
    );
  });
});
