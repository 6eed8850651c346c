// `pnpm demo`: the batch server with a built-in load generator, so every metric moves.
// Prints the URLs to open; Ctrl-C drains in-flight batches and exits cleanly.
import { loadConfig } from './config.ts';
import { startLoadGenerator } from './load/generator.ts';
import { startBatchServer } from './runtime.ts';

const DEMO_DEFAULTS: Record<string, string> = {
  DATA_DIR: '.data/demo',
  WORKERS: '3',
  QUEUE_CAPACITY: '25',
  LOCK_TIMEOUT_MS: '1500',
  LOCK_ATTEMPTS: '3',
  FAULT_RATE: '0.02',
  ACTIVITY_DELAY_MS: '4',
  LOG_FILE: '.data/demo/server.log',
  RETENTION_MINUTES: '10',
  OTEL_SERVICE_NAME: 'batch-server-demo',
};
for (const [name, value] of Object.entries(DEMO_DEFAULTS)) process.env[name] ??= value;

const config = loadConfig();
const server = await startBatchServer(config);
const load = startLoadGenerator({
  baseUrl: server.url,
  intervalMs: Number(process.env.DEMO_INTERVAL_MS ?? 600),
  ...(process.env.DEMO_CANCEL_RATE ? { cancelRate: Number(process.env.DEMO_CANCEL_RATE) } : {}),
  ...(process.env.DEMO_ALL_INVALID_RATE ? { allInvalidRate: Number(process.env.DEMO_ALL_INVALID_RATE) } : {}),
  onError: (error) => server.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'load generator request failed'),
});

const line = (label: string, path: string): string => `  ${label.padEnd(16)} ${server.url}${path}`;
console.log(
  [
    '',
    'OffGridFlow batch server: demo with live load',
    line('Dashboard', '/dashboard'),
    line('Batches API', '/api/v1/batches'),
    line('Prometheus', '/metrics'),
    line('Metrics JSON', '/metrics/json'),
    line('Status', '/status'),
    line('Health', '/health'),
    line('Readiness', '/health/ready'),
    `  ${'Logs (JSON)'.padEnd(16)} ${config.logFile ?? 'stdout'}`,
    '',
    `  Load: ${new Set(['acme', 'globex', 'initech', 'umbrella']).size} organisations, batches of 1-200 activities, some invalid,`,
    `  ${Number(process.env.FAULT_RATE) * 100}% injected transient faults, lock contention on "acme". Ctrl-C to stop.`,
    '',
  ].join('\n'),
);

const ticker = setInterval(() => {
  fetch(`${server.url}/metrics/json`)
    .then((response) => response.json())
    .then((s: Record<string, number>) => {
      console.log(
        `  batches: ${s.batches_submitted} submitted, ${s.batches_completed} completed, ${s.batches_failed} failed, ${s.batches_cancelled} cancelled | ` +
          `activities: ${s.activities_total} (${s.success_rate}% ok) | queue: ${s.queue_size} | emissions: ${Math.round(s.total_emissions ?? 0)} kg CO2e`,
      );
    })
    .catch(() => {});
}, 10_000);
ticker.unref();

// Ctrl-C / SIGTERM: stop the load first, then the server drains and exits (second signal forces).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(ticker);
    console.log(`\n  ${signal}: stopping the load, draining in-flight batches…`);
    void load.stop();
  });
}
server.handleSignals();

const seconds = Number(process.env.DEMO_DURATION_S ?? 0);
if (seconds > 0) setTimeout(() => process.kill(process.pid, 'SIGTERM'), seconds * 1000).unref();
