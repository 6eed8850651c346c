// GET /metrics streams the exporter's body when the source has `renderStream`: the same bytes as
// the string path, chunked, promtool- and OpenMetrics-clean (exemplars included), with the same
// headers; HEAD, string-only sources and failing collections keep their answers.
import { afterEach, describe, expect, it } from 'vitest';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '@ogf/core';
import { createStatusHandler, type MetricsSource } from '@ogf/status-http';
import { startStatusServer, type StatusServer } from '@ogf/status-http/node';
import { PrometheusExporter, type ExemplarSource } from '@ogf/prom-export';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { exporterSource } from './fixtures/real-sources.js';

const OM = 'application/openmetrics-text;version=1.0.0';
const TRACE = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' };

/** An exporter with `series` counter series and one histogram carrying exemplars. */
function bigExporter(series: number): PrometheusExporter {
  const exemplars: ExemplarSource = {
    exemplars: ({ name }) => (name === 'job.duration' ? [{ labels: TRACE, value: 0.7, timeUnixMs: 1_700_000_000_000 }] : undefined),
  };
  const exporter = new PrometheusExporter({ cardinalityLimit: series + 10, exemplars, openMetricsCreated: false });
  const meter = new MeterProvider({ readers: [exporter] }).getMeter('jobs');
  const counter = meter.createCounter('requests', { description: 'Requests.' });
  for (let i = 0; i < series; i++) counter.add(i + 1, { route: `/api/v1/items/${i}`, status: String(200 + (i % 5)) });
  meter.createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.5, 1] } }).record(0.7, { q: 'x' });
  return exporter;
}

/** Counts the chunks a response body arrives in. */
async function readChunks(response: Response): Promise<{ text: string; chunks: number }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks++;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), chunks };
}

describe('a streamed /metrics through @ogf/status-http', () => {
  let server: StatusServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('streams 20k series over a real Node server, chunked, byte-identical to render(), promtool-clean', async () => {
    const exporter = bigExporter(20_000);
    server = await startStatusServer({ metrics: exporterSource(exporter), port: 0 });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(TEXT_CONTENT_TYPE);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toBe('Accept');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-length')).toBeNull();
    const { text, chunks } = await readChunks(response);
    expect(chunks).toBeGreaterThan(1);
    expect(text).toBe((await exporter.render({ format: 'text' })).body);
    assertPromtoolClean(text);
  });

  it('streams OpenMetrics with exemplars that the strict parser accepts', async () => {
    const exporter = bigExporter(2_000);
    server = await startStatusServer({ metrics: exporterSource(exporter), port: 0 });
    const response = await fetch(`${server.url}/metrics`, { headers: { accept: OM } });
    expect(response.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    // promtool reads text 0.0.4 only (as everywhere in this repo); OpenMetrics goes to the strict parser.
    const families = parseOpenMetrics(await response.text());
    const buckets = families.find((family) => family.name === 'job_duration_seconds')?.samples.filter((s) => s.exemplar !== null);
    expect(buckets?.map((s) => [s.labels.le, s.exemplar?.labels.trace_id])).toEqual([['1', TRACE.trace_id]]);
    expect(families.find((family) => family.name === 'requests')?.samples).toHaveLength(2_000);
  });

  it('answers HEAD with the GET length from render(), and serves string-only sources as before', async () => {
    const exporter = bigExporter(500);
    server = await startStatusServer({ metrics: exporterSource(exporter), port: 0 });
    const head = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
    const expected = new TextEncoder().encode((await exporter.render({ format: 'text' })).body).byteLength;
    expect(head.headers.get('content-length')).toBe(String(expected));
    await server.close();
    server = await startStatusServer({ metrics: exporterSource(exporter, { streamed: false }), port: 0 });
    const plain = await fetch(`${server.url}/metrics`);
    expect(plain.headers.get('content-length')).toBe(String(expected));
    expect(plain.headers.get('cache-control')).toBe('no-store');
    expect(await plain.text()).toBe((await exporter.render({ format: 'text' })).body);
  });

  it('keeps serving after a client leaves mid-body, and shares one render between concurrent scrapes', async () => {
    const exporter = bigExporter(50_000);
    let collections = 0;
    const collect = exporter.collect.bind(exporter);
    exporter.collect = async (options) => {
      collections++;
      return collect(options);
    };
    server = await startStatusServer({ metrics: exporterSource(exporter), port: 0 });
    const leaving = new AbortController();
    const first = await fetch(`${server.url}/metrics`, { signal: leaving.signal });
    const reader = (first.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    leaving.abort();
    await reader.closed.catch(() => undefined);
    const url = `${server.url}/metrics`;
    const bodies = await Promise.all([fetch(url), fetch(url), fetch(url)].map(async (p) => (await p).text()));
    // Four scrapes: the three concurrent ones share one render (which may be the abandoned one's,
    // still running: the exporter keeps its chunks for late readers).
    expect(collections).toBeLessThanOrEqual(2);
    expect(new Set(bodies).size).toBe(1);
    assertPromtoolClean(bodies[0] as string);
  });

  it('answers 503 source_unavailable when a streamed collection fails, and 503 for a source streaming garbage', async () => {
    const errors: unknown[] = [];
    const failing: MetricsSource = {
      render: () => ({ contentType: TEXT_CONTENT_TYPE, body: '' }),
      renderStream: () => Promise.reject(new Error('collection failed')),
      summary: () => Promise.reject(new Error('unused')),
    };
    const handler = createStatusHandler({ metrics: failing, onError: (error) => errors.push(error) });
    const response = await handler(new Request('http://status.test/metrics'));
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'source_unavailable' });
    const garbage = {
      ...failing,
      renderStream: () => ({ contentType: TEXT_CONTENT_TYPE, body: 'not a stream' }),
    } as unknown as MetricsSource;
    const second = await createStatusHandler({ metrics: garbage, onError: (error) => errors.push(error) })(
      new Request('http://status.test/metrics'),
    );
    expect(second.status).toBe(503);
    expect(errors).toHaveLength(2);
  });
});
