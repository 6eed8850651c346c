import { startOtlpReceiver, type OtlpReceiver } from '@ogf/testkit/otlp-receiver';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createObservability, type Observability } from '../index.js';

let receiver: OtlpReceiver;
let obs: Observability | undefined;
let server: Server | undefined;

beforeEach(async () => {
  receiver = await startOtlpReceiver();
});

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await obs?.shutdown({ timeoutMs: 2_000 });
  await receiver.close();
});

it('gives an Express app the same request telemetry: parent from traceparent, child spans, route template, request id, no status routes', async () => {
  const logs: Record<string, unknown>[] = [];
  const o = createObservability({
    logDestination: { write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
    env: { OTEL_SERVICE_NAME: 'express-api', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
  });
  obs = o;
  const app = express();
  app.use(o.requests.express());
  const batches = express.Router();
  batches.post('/', (_req, res) => {
    o.tracer.withBatchSubmission({ id: 'b-7' }, () => res.status(202).json({ batch_id: 'b-7' }));
  });
  batches.get('/:id', (req, res) => {
    res.json({ batch_id: req.params.id });
  });
  app.use('/api/v1/batches', batches);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const posted = await fetch(`${url}/api/v1/batches`, {
    method: 'POST',
    headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'x-request-id': 'ex-1' },
  });
  expect(posted.status).toBe(202);
  expect(posted.headers.get('x-request-id')).toBe('ex-1');
  for (const id of ['b-1', 'b-2']) expect((await fetch(`${url}/api/v1/batches/${id}`)).status).toBe(200);
  expect((await fetch(`${url}/nowhere/${Math.random()}`)).status).toBe(404);
  expect((await fetch(`${url}/health/live`)).headers.get('x-request-id')).toBeNull();

  await o.forceFlush();
  const spans = await receiver.waitForSpans(5);
  const request = spans.find((s) => s.kind === 'server' && s.attributes['http.request.id'] === 'ex-1');
  expect(request).toMatchObject({
    name: 'POST /api/v1/batches',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    parentSpanId: 'b7ad6b7169203331',
  });
  expect(spans.find((s) => s.name === 'batch.submission')).toMatchObject({
    parentSpanId: request?.spanId,
    attributes: { 'http.request.id': 'ex-1' },
  });
  expect(spans.filter((s) => s.kind === 'server').map((s) => s.name)).toEqual([
    'POST /api/v1/batches',
    'GET /api/v1/batches/:id',
    'GET /api/v1/batches/:id',
    'GET',
  ]);
  const text = await (await o.app.request('/metrics')).text();
  expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*http_route="\/api\/v1\/batches\/:id"[^}]*\} 2$/m);
  expect(text).not.toMatch(/nowhere|b-1|health/);
  expect(logs.filter((line) => line.event === 'http.request').map((line) => line.status)).toEqual([202, 200, 200, 404]);
});
