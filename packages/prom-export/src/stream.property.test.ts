// Property: for random metric sets (hostile label keys, values and HELP texts, exemplars, sets large
// enough to span many chunks), the streamed exposition (`renderStream()` and the streamed handler
// body, bytes concatenated) is byte for byte `render()`'s string, every chunk is whole UTF-8, the
// text passes promtool with zero findings and the OpenMetrics the strict parser (exemplars
// included), and concurrent streamed and string scrapes of both formats share one collection each.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { parseText, setup } from '../test/checks.js';
import { arbitraryMetricSet, record, readBytes } from '../test/streamed.js';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
const encoder = new TextEncoder();

describe('streamed exposition, property', () => {
  it('streams the bytes of render(), valid in both formats, with one collection per format for concurrent scrapes', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryMetricSet, async (set) => {
        const { provider, exporter } = setup({ exemplars: set.exemplars, cardinalityLimit: 5_000 });
        let collections = 0;
        provider
          .getMeter('probe')
          .createObservableGauge('probe.collections')
          .addCallback((result) => result.observe(++collections));
        const series = record(provider.getMeter('prop'), set);

        // Both formats at once, each scraped as a string, as a stream and through the handler.
        const [text, om, textStream, omStream, textReply, omReply] = await Promise.all([
          exporter.render({ format: 'text' }),
          exporter.render({ format: 'openmetrics' }),
          exporter.renderStream({ format: 'text' }),
          exporter.renderStream({ format: 'openmetrics' }),
          exporter.handler(new Request('http://host/metrics')),
          exporter.handler(new Request('http://host/metrics', { headers: { accept: OPENMETRICS } })),
        ]);
        expect(collections).toBe(2);
        expect(omReply.headers.get('content-type')).toBe(om.contentType);
        const bodies = await Promise.all([
          readBytes(textStream.body),
          readBytes(omStream.body),
          readBytes(textReply.body as ReadableStream<Uint8Array>),
          readBytes(omReply.body as ReadableStream<Uint8Array>),
        ]);
        const [textBytes, omBytes] = [encoder.encode(text.body), encoder.encode(om.body)];
        expect(bodies.map((body) => Buffer.from(body.bytes))).toEqual(
          [textBytes, omBytes, textBytes, omBytes].map((bytes) => Buffer.from(bytes)),
        );
        // Every chunk is whole UTF-8 on its own (no character split between two writes).
        for (const body of bodies) expect(body.splitCharacters).toBe(0);

        assertPromtoolClean(text.body);
        expect(text.body).not.toContain(' # {');
        const textSamples = parseText(text.body).flatMap((family) => family.samples);
        const omSamples = parseOpenMetrics(om.body).flatMap((family) => family.samples);
        // Every recorded series is read back: the streamed path loses nothing across chunk edges.
        expect(textSamples.filter((s) => s.name.startsWith('m')).length).toBe(series.textSamples);
        expect(omSamples.filter((s) => s.name.startsWith('m') && !s.name.endsWith('_created')).length).toBe(series.omSamples);
        expect(omSamples.some((s) => s.exemplar !== null)).toBe(series.exemplarsExpected);
        await provider.shutdown();
      }),
      // A fixed seed: CI runs the same cases every time; OGF_FUZZ_RUNS=200 explores that many random ones.
      Number(process.env.OGF_FUZZ_RUNS ?? 0) > 0 ? { numRuns: Number(process.env.OGF_FUZZ_RUNS) } : { numRuns: 10, seed: 20261127 },
    );
  }, 600_000);
});
