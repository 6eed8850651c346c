import { serve } from '@hono/node-server';
import { startOtlpReceiver, type OtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { promtoolCheckMetrics } from '@ogf/testkit/promtool';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createObservability, type Observability, type ObservabilityConfig } from '../index.js';

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let receiver: OtlpReceiver;
let obs: Observability | undefined;
let close: (() => Promise<void>) | undefined;
let logs: Record<string, unknown>[];

beforeEach(async () => {
  receiver = await startOtlpReceiver();
  logs = [];
});

afterEach(async () => {
  await close?.();
  close = undefined;
  await obs?.shutdown({ timeoutMs: 2_000 });
  obs = undefined;
  await receiver.close();
});

/** The batch API shape: a submit route that starts `batch.submission`, a read route with an id, plus the status routes. */
async function start(config: ObservabilityConfig = {}): Promise<{ url: string; obs: Observability; app: Hono }> {
  const o = createObservability({
    logDestination: { write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
    env: { OTEL_SERVICE_NAME: 'api', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    ...config,
  });
  obs = o;
  const app = new Hono();
  app.use(o.requests.hono());
  app.post('/api/v1/batches', (c) => o.tracer.withBatchSubmission({ id: 'b-1' }, () => c.json({ batch_id: 'b-1' }, 202)));
  app.get('/api/v1/batches/:id', (c) => c.json({ batch_id: c.req.param('id') }));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.route('/', o.app);
  app.onError((_error, c) => c.json({ error: 'internal' }, 500));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, obs: o, app };
}

describe('request telemetry', () => {
  it('continues the caller trace: server span child of the caller, batch.submission child of the server span, one request id everywhere', async () => {
    const { url, obs } = await start();
    const response = await fetch(`${url}/api/v1/batches`, {
      method: 'POST',
      headers: { traceparent: TRACEPARENT, 'x-request-id': 'req-42' },
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe('req-42');
    await obs.forceFlush();
    const spans = await receiver.waitForSpans(2);
    const server = spans.find((s) => s.kind === 'server');
    const submission = spans.find((s) => s.name === 'batch.submission');
    expect(server).toMatchObject({ name: 'POST /api/v1/batches', traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN });
    expect(server?.attributes).toMatchObject({
      'http.route': '/api/v1/batches',
      'http.response.status_code': 202,
      'http.request.id': 'req-42',
    });
    expect(submission).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: server?.spanId });
    expect(submission?.attributes['http.request.id']).toBe('req-42');
    const access = logs.filter((line) => line.event === 'http.request');
    expect(access).toEqual([
      expect.objectContaining({
        request_id: 'req-42',
        trace_id: CALLER_TRACE,
        span_id: server?.spanId,
        route: '/api/v1/batches',
        status: 202,
      }),
    ]);
  });

  it('starts a new trace linked to the caller when told not to trust incoming trace context', async () => {
    const { url, obs } = await start({ requestOptions: { trustIncomingTraceContext: false } });
    expect((await fetch(`${url}/api/v1/batches/b-9`, { headers: { traceparent: TRACEPARENT } })).status).toBe(200);
    await obs.forceFlush();
    const [server] = await receiver.waitForSpans(1);
    expect(server?.traceId).not.toBe(CALLER_TRACE);
    expect(server?.parentSpanId).toBeFalsy();
    expect(server?.links).toEqual([expect.objectContaining({ traceId: CALLER_TRACE, spanId: CALLER_SPAN })]);
    expect(server?.name).toBe('GET /api/v1/batches/:id');
  });

  it.each([
    ['a malformed traceparent', { traceparent: '00-zzzz-b7ad6b7169203331-01', 'x-request-id': 'bad id with spaces' }],
    ['an oversized traceparent and request id', { traceparent: `${TRACEPARENT}-${'a'.repeat(300)}`, 'x-request-id': 'x'.repeat(129) }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${CALLER_SPAN}-01`, 'x-request-id': 'ok\u00e9' }],
  ])('ignores %s: a fresh trace, a generated request id, a 202', async (_name, headers) => {
    const { url, obs } = await start();
    const response = await fetch(`${url}/api/v1/batches`, { method: 'POST', headers });
    expect(response.status).toBe(202);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    await obs.forceFlush();
    const spans = await receiver.waitForSpans(2);
    const server = spans.find((s) => s.kind === 'server');
    expect(server?.traceId).not.toBe(CALLER_TRACE);
    expect(server?.parentSpanId).toBeFalsy();
    expect(server?.attributes['http.request.id']).toBe(id);
  });

  it('measures requests by route template, leaves status routes out, and keeps series bounded over 10,000 distinct paths', async () => {
    const { url, obs, app } = await start();
    for (const id of ['b-1', 'b-2', 'b-3']) expect((await fetch(`${url}/api/v1/batches/${id}`)).status).toBe(200);
    expect((await fetch(`${url}/boom`)).status).toBe(500);
    expect((await fetch(`${url}/health/live`)).headers.get('x-request-id')).toBeNull();
    for (let i = 0; i < 10_000; i++) await app.request(`/scan/${i}/${Math.random().toString(36).slice(2)}`);
    for (let i = 0; i < 200; i++) await app.request(`/api/v1/batches/scan-${i}`);
    const text = await (await obs.app.request('/metrics')).text();
    expect(promtoolCheckMetrics(text)).toEqual({ exitCode: 0, findings: [] });
    const series = text.split('\n').filter((line) => line.startsWith('http_server_request_duration_seconds_count'));
    expect(series).toContainEqual(expect.stringMatching(/http_route="\/api\/v1\/batches\/:id".*\} 203$/));
    expect(series).toContainEqual(expect.stringMatching(/error_type="500".*http_response_status_code="500"/));
    expect(series.some((line) => /b-1|scan|health|metrics/.test(line))).toBe(false);
    expect(series.length).toBeLessThanOrEqual(4);
    expect(text).toMatch(/^http_server_active_requests\{.*\} 0$/m);
    expect(logs.filter((line) => line.event === 'http.request' && line.path === '/health/live')).toEqual([]);
  });

  it('counts a request in http_server_active_requests while it runs and not after', async () => {
    const o = createObservability({ logDestination: { write: () => undefined }, env: {} });
    obs = o;
    let during = '';
    const handler = o.requests.fetch(async () => {
      during = await (await o.app.request('/metrics')).text();
      return new Response('ok');
    });
    await handler(new Request('https://x/things', { method: 'PUT' }));
    expect(during).toMatch(/^http_server_active_requests\{http_request_method="PUT",url_scheme="https"[^}]*\} 1$/m);
    const after = await (await o.app.request('/metrics')).text();
    expect(after).toMatch(/^http_server_active_requests\{http_request_method="PUT",url_scheme="https"[^}]*\} 0$/m);
    expect(promtoolCheckMetrics(after)).toEqual({ exitCode: 0, findings: [] });
  });

  it('wraps a plain fetch handler with the route the caller names', async () => {
    const o = createObservability({
      logDestination: { write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
      env: {},
    });
    obs = o;
    const handler = o.requests.fetch(() => new Response('ok', { status: 201 }), { route: () => '/things' });
    const response = await handler(new Request('http://x/things/7', { headers: { 'x-request-id': 'abc' } }));
    expect(response.headers.get('x-request-id')).toBe('abc');
    expect(logs.find((line) => line.event === 'http.request')).toMatchObject({ request_id: 'abc', route: '/things', status: 201 });
    expect(await (await o.app.request('/metrics')).text()).toMatch(/http_route="\/things"/);
  });

  it('gives the access log line the request id and the server span ids with your own pino logger too (no mixin)', async () => {
    const pino = (await import('pino')).default;
    const lines: Record<string, unknown>[] = [];
    const o = createObservability({
      logger: pino({ base: null }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }),
      env: {},
    });
    obs = o;
    let server: { traceId: string; spanId: string } | undefined;
    const handler = o.requests.fetch(() => {
      const active = trace.getActiveSpan()?.spanContext();
      server = active && { traceId: active.traceId, spanId: active.spanId };
      return new Response('ok');
    });
    await handler(new Request('http://x/things/7', { headers: { 'x-request-id': 'own-1', traceparent: TRACEPARENT } }));
    expect(server?.traceId).toBe(CALLER_TRACE);
    expect(lines).toEqual([
      expect.objectContaining({
        event: 'http.request',
        method: 'GET',
        path: '/things/7',
        status: 200,
        request_id: 'own-1',
        trace_id: CALLER_TRACE,
        span_id: server?.spanId,
        trace_flags: '01',
      }),
    ]);
  });
});
