// Property, over a real socket: for random metric sets (hostile label keys, values and HELP texts,
// exemplars, sizes that span many chunks), GET /metrics of `startStatusServer` streams exactly the
// bytes of the exporter's `render()`, in both formats at once, text promtool-clean with zero
// findings and OpenMetrics accepted by the strict parser; the scrapes that arrive while a
// collection runs (two over HTTP, two `render()` calls) share one collection per format.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { startStatusServer, type StatusServer } from '@ogf/status-http/node';
import { PrometheusExporter, type Exemplar } from '@ogf/prom-export';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { exporterSource } from './fixtures/real-sources.js';

const OM = 'application/openmetrics-text;version=1.0.0';
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom('"', '\\', '\n', '"} 1\nforged_total{a="', '\uD800', '\u{1F600}', '# EOF\n', 'é'),
);
const exemplar: fc.Arbitrary<Exemplar> = fc.record({
  labels: fc.dictionary(
    fc.constantFrom('trace_id', 'span_id'),
    hostile.map((v) => v.replaceAll('}', '')),
    { maxKeys: 2 },
  ),
  value: fc.double({ min: 0, max: 20, noNaN: true }),
});
const metricSet = fc.record({
  help: hostile,
  keys: fc.array(fc.constantFrom('le', 'a.b', 'é', 'quantile', '0a', 'x y'), { maxLength: 2 }),
  values: fc.array(hostile, { minLength: 1, maxLength: 4 }),
  series: fc.integer({ min: 1, max: 3_000 }),
  exemplars: fc.array(exemplar, { maxLength: 2 }),
});

describe('a streamed /metrics through the Node adapter, property', () => {
  let server: StatusServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the bytes of render() in both formats, valid, one collection per format', async () => {
    await fc.assert(
      fc.asyncProperty(metricSet, async (set) => {
        const exporter = new PrometheusExporter({ cardinalityLimit: 5_000, exemplars: { exemplars: () => set.exemplars } });
        const provider = new MeterProvider({ readers: [exporter] });
        const meter = provider.getMeter('prop');
        const counter = meter.createCounter('jobs', { description: set.help });
        const histogram = meter.createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: [1, 10] } });
        for (let i = 0; i < set.series; i++) {
          const attributes: Record<string, string> = { k: String(i) };
          for (const key of set.keys) attributes[key] = set.values[i % set.values.length] as string;
          counter.add(i, attributes);
          if (i % 3 === 0) histogram.record(i % 15, attributes);
        }
        // The collection waits until both HTTP scrapes reached the exporter, so all four share it.
        let collections = 0;
        let arrived = 0;
        let open: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (open = resolve));
        meter.createObservableGauge('probe').addCallback(async (result) => {
          collections++;
          await gate;
          result.observe(1);
        });
        const source = exporterSource(exporter);
        server = await startStatusServer({
          port: 0,
          metrics: {
            ...source,
            renderStream: (options) => {
              if (++arrived === 2) open();
              return exporter.renderStream(options);
            },
          },
        });
        const [textReply, omReply, text, om] = await Promise.all([
          fetch(`${server.url}/metrics`),
          fetch(`${server.url}/metrics`, { headers: { accept: OM } }),
          exporter.render({ format: 'text' }),
          exporter.render({ format: 'openmetrics' }),
        ]);
        expect(collections).toBe(2);
        expect(textReply.headers.get('transfer-encoding')).toBe('chunked');
        const [textBytes, omBytes] = await Promise.all([textReply.arrayBuffer(), omReply.arrayBuffer()]);
        expect(Buffer.from(textBytes).equals(Buffer.from(text.body))).toBe(true);
        expect(Buffer.from(omBytes).equals(Buffer.from(om.body))).toBe(true);
        assertPromtoolClean(text.body);
        const families = parseOpenMetrics(om.body);
        expect(families.find((f) => f.name === 'jobs')?.samples.filter((s) => s.name === 'jobs_total')).toHaveLength(set.series);
        await server.close();
        server = undefined;
        await provider.shutdown();
      }),
      // A fixed seed: the same few cases every run; OGF_FUZZ_RUNS=50 explores that many random ones.
      Number(process.env.OGF_FUZZ_RUNS ?? 0) > 0 ? { numRuns: Number(process.env.OGF_FUZZ_RUNS) } : { numRuns: 5, seed: 20261127 },
    );
  }, 300_000);
});
