// The live check: the example server runs for real under load, a real Prometheus with the
// repository's rules scrapes it, and every dashboard query and every recording rule must be valid
// PromQL that returns data. The deployment files' probe and scrape paths must answer too.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type PrometheusServer } from '@ogf/testkit/prometheus';
import { freePort } from '@ogf/testkit/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expandVariables, panelQueries } from '../src/panel-queries.ts';
import { dashboardFile, prometheusDir, repoRoot } from '../src/paths.ts';
import { spawnTracked } from '@ogf/testkit/processes';

const JOB = 'batch-server';
const exampleDir = join(repoRoot, 'examples', 'batch-server');

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}
const ruleText = (file: string): string => readFileSync(join(prometheusDir, 'rules', file), 'utf8');
const recordingRules = (parse(ruleText('slis.yml')) as RuleFile).groups.flatMap((g) => g.rules.filter((r) => r.record));
/**
 * Rules over @ogf/bullmq's queue gauges, which only the distributed mode (QUEUE=bullmq) exports;
 * the single process run here has none. examples/batch-server/test/distributed.test.ts loads the
 * same rule files into a Prometheus scraping one api and three workers and checks their values.
 */
const DISTRIBUTED_ONLY = new Set(['job_queue_state:bullmq_queue_jobs:max', 'job_queue:bullmq_queue_oldest_waiting_age_seconds:max']);
const alertCount = (parse(ruleText('alerts.yml')) as RuleFile).groups.flatMap((g) => g.rules.filter((r) => r.alert)).length;
const queries = panelQueries(JSON.parse(readFileSync(dashboardFile, 'utf8')));

// ---------------------------------------------------------------------------- the example server
interface Example {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

async function startExample(env: Record<string, string>): Promise<Example> {
  const port = await freePort();
  const child: ChildProcess = spawnTracked(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: exampleDir,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the example server exited during start:\n${output}`);
    const live = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the example server did not answer /health/live within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------- load
const VALID = [
  { type: 'electricity', quantity: 1200, unit: 'kWh', region: 'US' },
  { type: 'natural_gas', quantity: 250, unit: 'therm' },
  { type: 'diesel', quantity: 40, unit: 'gal' },
  { type: 'petrol', quantity: 55, unit: 'L' },
  { type: 'air_travel_long_haul', quantity: 5500, unit: 'km' },
];
const INVALID = { type: 'moon_dust', quantity: 1, unit: 'kWh' };

/**
 * Submits a pair of batches every 100 ms until stopped, so every metric moves: three organisations
 * share two workers and submit two batches at once each (lock contention and timeouts), one activity in three batches is of an unknown type
 * (failed activities), every fifth batch has only unknown types (a failed batch), every seventh
 * is cancelled straight after submission.
 */
function startLoad(baseUrl: string): { stop(): Promise<void>; submitted(): number } {
  let stopped = false;
  let submitted = 0;
  const loop = (async () => {
    for (let n = 0; !stopped; n++) {
      const activities =
        n % 5 === 4
          ? [
              { id: 'x1', ...INVALID },
              { id: 'x2', ...INVALID },
            ]
          : Array.from({ length: 2 + (n % 6) }, (_, i) => ({
              id: `a${i}`,
              ...(n % 3 === 0 && i === 0 ? INVALID : VALID[(n + i) % VALID.length]!),
            }));
      try {
        const response = await fetch(`${baseUrl}/api/v1/batches`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ org_id: `org-${Math.floor(n / 2) % 3}`, activities }),
        });
        const body = (await response.json()) as { batch_id?: string };
        if (response.status === 202) submitted += 1;
        if (n % 7 === 6 && body.batch_id) await fetch(`${baseUrl}/api/v1/batches/${body.batch_id}`, { method: 'DELETE' });
      } catch {
        // The server may be busy; the next round tries again.
      }
      // The two batches of one organisation go out back to back, so the second one waits on the
      // first one's lock whatever the speed of the machine (a lock timeout every pair).
      if (n % 2 === 1) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    submitted: () => submitted,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

// ---------------------------------------------------------------------------- the run
let server: Example | undefined;
let prometheus: PrometheusServer | undefined;
let load: ReturnType<typeof startLoad> | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'ogf-ops-live-'));

/** What has to have happened before every panel can show something. */
const EVERYTHING_MOVED = [
  'batch_completed_total',
  'batch_failed_total',
  'batch_cancelled_total',
  'activity_failed_total',
  'lock_timeouts_total',
  'batch_retries_total',
  'batch_retries_success_total',
  'emissions_grams_total',
];

beforeAll(async () => {
  server = await startExample({
    DATA_DIR: dataDir,
    WORKERS: '2',
    QUEUE_CAPACITY: '50',
    ACTIVITY_DELAY_MS: '25',
    LOCK_TIMEOUT_MS: '20',
    FAULT_RATE: '0.05',
    RETRY_BASE_DELAY_MS: '5',
    SHUTDOWN_TIMEOUT_MS: '5000',
  });
  // The long-window SLO group runs once a minute in production; here every second, like the rest.
  const slis = ruleText('slis.yml').replace(/^(\s+)interval: 1m$/m, '$1interval: 1s');
  prometheus = await startPrometheus({
    targets: [`127.0.0.1:${server.port}`],
    jobName: JOB,
    scrapeIntervalSeconds: 1,
    rules: { 'slis.yml': slis, 'alerts.yml': ruleText('alerts.yml') },
  });
  await prometheus.waitForTargetsUp({ timeoutMs: 30_000 });
  load = startLoad(server.url);
  // Health checks run when probed (as a kubelet would); their gauge feeds the health alerts.
  await fetch(`${server.url}/health/ready`);
  for (const metric of EVERYTHING_MOVED) {
    await prometheus.waitForValue(`sum(${metric}{job="${JOB}"})`, (v) => v > 0, { timeoutMs: 60_000 });
  }
  // A few more scrapes and rule evaluations with all of it inside the rate windows.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
}, 180_000);

afterAll(async () => {
  await load?.stop();
  await prometheus?.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The instant query's samples; fails with the server's and Prometheus' view when there are none. */
async function expectData(promql: string): Promise<void> {
  const samples = await prometheus!.query(promql);
  const numbers = samples.filter((s) => !Number.isNaN(s.value));
  expect(numbers.length, `no data for ${promql}\nresult: ${JSON.stringify(samples)}`).toBeGreaterThan(0);
}

describe('against the example server under load, scraped by a real Prometheus', () => {
  it('the load went through the REST API', () => {
    expect(load!.submitted()).toBeGreaterThan(10);
  });

  it.each(queries.map((q) => [`${q.panel} [${q.refId}]`, q.expr]))('the dashboard query %s returns data', async (_name, expr) => {
    await expectData(expandVariables(expr, { job: JOB, rateInterval: '1m', range: '5m' }));
  });

  it.each(recordingRules.filter((r) => !DISTRIBUTED_ONLY.has(r.record!)).map((r) => [r.record!, r.expr]))(
    'the recording rule %s returns data, computed and recorded',
    async (record, expr) => {
      await expectData(expr);
      await expectData(`${record}{job="${JOB}"}`);
    },
  );

  it('evaluates every recording and alert rule without error', async () => {
    const groups = (await prometheus!.rules()) as { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.length).toBe(recordingRules.length + alertCount);
    const unhealthy = rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`);
    expect(unhealthy).toEqual([]);
  });

  it('exports health_check_status per readiness check, in the shape the health alerts read', async () => {
    const samples = await prometheus!.query(`min by (job, instance, check) (health_check_status{job="${JOB}"})`);
    expect(samples.map((s) => s.metric.check)).toContain('database');
    for (const sample of samples) expect([0, 0.5, 1]).toContain(sample.value);
  });

  it.each([
    ['/health/live', 'the liveness probe'],
    ['/health/ready', 'the readiness probe'],
    ['/metrics', 'the scrape path'],
  ])('answers %s (%s of deploy/) with 200', async (path) => {
    const response = await fetch(`${server!.url}${path}`);
    expect(response.status, server!.output().slice(-2000)).toBe(200);
  });
});
