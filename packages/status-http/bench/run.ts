// `pnpm bench` for @ogf/status-http: requests per second of the probes and /metrics (1,000 series)
// on a real Node server under wrk on loopback, against a bare Hono route on the same kind of server
// in the same run, then the event-loop delay p99 while 50 concurrent scrapes run.
// Writes bench/results.md.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { getRequestListener } from '@hono/node-server';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Hono } from 'hono';
import { createHealthChecker } from '@ogf/health';
import { PrometheusExporter } from '@ogf/prom-export';
import { startStatusServer } from '../src/node.js';

const run = promisify(execFile);
const DURATION = process.env.BENCH_DURATION ?? '5s';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function wrk(url: string, connections: number): Promise<number> {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${DURATION}`, url]);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!match) throw new Error(`wrk printed no rate:\n${stdout}`);
  return Number(match[1]);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// The baseline: a constant from a Hono route, served through the same adapter options we use.
const bare = new Hono();
bare.get('/', (c) => c.text('ok'));
const bareListener = getRequestListener((request) => bare.fetch(request), { overrideGlobalObjects: false });
const bareServer = createServer((request, response) => {
  void bareListener(request, response);
});
const bareUrl = await listen(bareServer);

// 1,000 series: 20 counters × 50 label values, from the real exporter.
const exporter = new PrometheusExporter();
const meter = new MeterProvider({ readers: [exporter] }).getMeter('bench');
for (let family = 0; family < 20; family++) {
  const counter = meter.createCounter(`bench.family_${family}`, { description: `Family ${family}.` });
  for (let series = 0; series < 50; series++) counter.add(series + 1, { series: `s${series}` });
}
const health = createHealthChecker({ cacheTtlMs: 5_000 });
health.register('database', () => ({ status: 'healthy' }));
const status = await startStatusServer({
  port: 0,
  health,
  metrics: { render: (options) => exporter.render(options), summary: () => Promise.reject(new Error('not benchmarked')) },
});
const seriesCount = (await exporter.render({ format: 'text' })).body.split('\n').filter((line) => line && !line.startsWith('#')).length;

const routes = [
  ['bare Hono route (baseline)', bareUrl + '/'],
  ['/health/live', `${status.url}/health/live`],
  ['/health/ready (cached)', `${status.url}/health/ready`],
  [`/metrics (${seriesCount} series)`, `${status.url}/metrics`],
] as const;
await wrk(routes[2][1], 10); // warm-up (also fills the readiness cache)
const rates = new Map<string, number[]>(routes.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, url] of routes) rates.get(name)?.push(await wrk(url, 10));
}

// Event-loop delay (p99, max in ms) while `load` runs; the same process serves both servers.
async function loopDelay(load: () => Promise<unknown>): Promise<{ p99: number; max: number; result: unknown }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const result = await load();
  histogram.disable();
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, result };
}
const idle = await loopDelay(() => new Promise((resolve) => setTimeout(resolve, 3_000)));
const bareLoad = await loopDelay(() => wrk(bareUrl + '/', 50));
const scrapes = await loopDelay(() => wrk(`${status.url}/metrics`, 50));
const scrapeRate = scrapes.result as number;
const p99Ms = scrapes.p99;
const maxMs = scrapes.max;

await status.close();
await new Promise((resolve) => bareServer.close(resolve));

const baseline = median(rates.get(routes[0][0]) ?? []);
const rows = routes.map(([name]) => {
  const rate = median(rates.get(name) ?? []);
  const ratio = baseline / rate;
  const isProbe = name.startsWith('/health');
  const verdict = isProbe ? (ratio <= 1.3 ? 'yes' : 'NO') : '–';
  return `| ${name} | ${rate.toFixed(0)} | ${name.startsWith('bare') ? '1.00' : ratio.toFixed(2)}× | ${isProbe ? '≤ 1.30×' : '–'} | ${verdict} |`;
});

const results = `## @ogf/status-http

Requests per second on a real Node server (\`startStatusServer\`: node:http + @hono/node-server's
request listener, global Request/Response left alone, replies written straight to the socket) under \`wrk -t1 -c10 -d${DURATION}\` on loopback, median of ${ROUNDS}
interleaved rounds; the baseline is a bare Hono route returning a constant (\`c.text('ok')\`) on
node:http + @hono/node-server's listener with the same options, in the same run. Ratio = baseline req/s ÷ route req/s (lower is better).

| route | req/s | ratio vs baseline | target | met |
|---|---|---|---|---|
${rows.join('\n')}

A probe can beat the baseline: the status server writes its reply straight to the socket, while the
bare route goes through a Web Response body stream as a plain Hono app on @hono/node-server does.

Event-loop delay while 50 concurrent scrapes of ${seriesCount} series run (\`wrk -t1 -c50 -d${DURATION}\`,
${scrapeRate.toFixed(0)} scrapes/s): p99 **${p99Ms.toFixed(1)} ms** (max ${maxMs.toFixed(1)} ms); target p99 < 50 ms:
**${p99Ms < 50 ? 'met' : 'NOT met'}**.

For reference, in the same process and run: idle p99 ${idle.p99.toFixed(1)} ms (max ${idle.max.toFixed(1)} ms); while 50
connections hammer the bare Hono route (${(bareLoad.result as number).toFixed(0)} req/s) p99 ${bareLoad.p99.toFixed(1)} ms (max ${bareLoad.max.toFixed(1)} ms).
wrk drives the server closed-loop at full speed, so this measures a saturated loop; the difference
between the two rows is what rendering 1,000 series adds. Concurrent scrapes share one render per
format while it is in flight.

Measured ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}
(the machine was shared with other work, so absolute numbers are noisy; the ratios come from the same run).
Health source: \`createHealthChecker\` from @ogf/health (one check, readiness cached 5 s); metrics:
\`PrometheusExporter\` from @ogf/prom-export on a real MeterProvider (20 counters × 50 label values).

Reproduce: \`pnpm --filter @ogf/status-http bench\` (needs \`wrk\`; BENCH_DURATION and BENCH_ROUNDS tune it).
`;
writeFileSync(join(import.meta.dirname, 'results.md'), results);
process.stdout.write(results);
