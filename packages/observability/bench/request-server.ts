// One server of the request-telemetry benchmark, in its own process so that neither side pays for
// the other's AsyncLocalStorage or exporter: `bare` (a Hono route returning JSON) or `instrumented`
// (the same behind `app.use(obs.requests.hono())`, spans exported to OTLP_URL when set); for
// attribution only, `middleware` and `als` (see below). Prints its URL on stdout, then serves until
// killed.
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
    env: {
      OTEL_SERVICE_NAME: 'bench',
      ...(process.env.OTLP_URL ? { OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTLP_URL } : {}),
      // http/protobuf (the default) unless BENCH_OTLP_PROTOCOL=http/json.
      ...(process.env.BENCH_OTLP_PROTOCOL ? { OTEL_EXPORTER_OTLP_PROTOCOL: process.env.BENCH_OTLP_PROTOCOL } : {}),
    },
    ...(process.env.BENCH_NO_LOG ? { requestOptions: { accessLog: false } } : {}),
    // An alternative, not the target's setup: parent-based ratio sampling of root spans (e.g. 0.1).
    ...(process.env.BENCH_SAMPLE_RATIO ? { sampleRate: Number(process.env.BENCH_SAMPLE_RATIO) } : {}),
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
if (mode === 'middleware') {
  // Attribution only: the bare route behind one async pass-through middleware (what any Hono middleware costs).
  app.use(async (_c, next) => {
    await next();
  });
}
if (mode === 'als') {
  // Attribution only: the bare route with one AsyncLocalStorage run per request and nothing else, the
  // floor any context propagation across `await` pays (on Node 20 it turns on promise hooks).
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const storage = new AsyncLocalStorage<object>();
  app.use((_c, next) => storage.run({}, next));
}
app.get('/api/v1/batches/:id', (c) => c.json({ batch_id: c.req.param('id'), status: 'completed', counts: { activities: 100 } }));
const listener = getRequestListener((request) => app.fetch(request), { overrideGlobalObjects: false });
const server = createServer((request, response) => void listener(request, response));
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
