// One server of the request-telemetry benchmark, in its own process so that neither side pays for
// the other's AsyncLocalStorage or exporter: `bare` (a Hono route returning JSON) or `instrumented`
// (the same behind `app.use(obs.requests.hono())`, spans exported to OTLP_URL when set). Prints its
// URL on stdout, then serves until killed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createObservability } from '../src/index.js';

const mode = process.argv[2];
const app = new Hono();
if (mode === 'instrumented') {
  const obs = createObservability({
    logDestination: { write: () => undefined },
    env: { OTEL_SERVICE_NAME: 'bench', ...(process.env.OTLP_URL ? { OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTLP_URL } : {}) },
    ...(process.env.BENCH_NO_LOG ? { requestOptions: { accessLog: false } } : {}),
  });
  app.use(obs.requests.hono());
  process.on('SIGTERM', () => {
    const spans = obs.delivery().spans;
    process.stderr.write(`${JSON.stringify(spans)}\n`);
    process.exit(0);
  });
}
// Exit cleanly on SIGTERM so `node --cpu-prof` writes its profile (the instrumented side's handler above runs first).
if (mode !== 'instrumented') process.on('SIGTERM', () => process.exit(0));
app.get('/api/v1/batches/:id', (c) => c.json({ batch_id: c.req.param('id'), status: 'completed', counts: { activities: 100 } }));
const listener = getRequestListener((request) => app.fetch(request), { overrideGlobalObjects: false });
const server = createServer((request, response) => void listener(request, response));
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
