// The live check: the example server runs for real under load, a real Prometheus with the
// repository's rules scrapes it, and every dashboard query and every recording rule must be valid
// PromQL that returns data. The deployment files' probe and scrape paths must answer too.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type PrometheusServer } from '@ogf/testkit/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expandVariables, panelQueries } from '../src/panel-queries.ts';
import { dashboardFile, prometheusDir } from '../src/paths.ts';
import { startExample, type Example } from './example-server.ts';

const JOB = 'batch-server';

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}
const ruleText = (file: string): string => readFileSync(join(prometheusDir, 'rules', file), 'utf8');
const ruleFiles = readdirSync(join(prometheusDir, 'rules')).filter((f) => f.endsWith('.yml'));
const rules = ruleFiles.flatMap((f) => (parse(ruleText(f)) as RuleFile).groups.flatMap((g) => g.rules));
/**
 * Series from the BullMQ queue gauges: the single-process example (in-memory queue) has none.
 * examples/batch-server/test/distributed.test.ts loads slis.yml into a Prometheus scraping one api
 * and three workers (QUEUE=bullmq) and checks the queue rules there.
 */
const BULLMQ_ONLY = new Set([
  'job:batch_queue_oldest_wait_seconds:max',
  'job:batch_queue_oldest_wait_seconds:predict_linear15m',
  'job_queue_state:bullmq_queue_jobs:max',
  'job_queue:bullmq_queue_oldest_waiting_age_seconds:max',
]);
const recordingRules = rules.filter((r) => r.record && !BULLMQ_ONLY.has(r.record));
const ruleCount = rules.length;
const queries = panelQueries(JSON.parse(readFileSync(dashboardFile, 'utf8')));

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
  // The long-window groups run once a minute in production; here every second, like the rest.
  prometheus = await startPrometheus({
    targets: [`127.0.0.1:${server.port}`],
    jobName: JOB,
    scrapeIntervalSeconds: 1,
    rules: Object.fromEntries(ruleFiles.map((f) => [f, ruleText(f).replace(/^(\s+)interval: 1m$/gm, '$1interval: 1s')])),
  });
  await prometheus.waitForTargetsUp({ timeoutMs: 30_000 });
  load = startLoad(server.url);
  // Health checks run when probed (as a kubelet would); their gauge feeds the health alerts.
  await fetch(`${server.url}/health/ready`);
  for (const metric of EVERYTHING_MOVED) {
    await prometheus.waitForValue(`sum(${metric}{job="${JOB}"})`, (v) => v > 0, { timeoutMs: 60_000 });
  }
  // Then until every query the tests below read returns data: more scrapes and rule evaluations
  // with all of it inside the rate windows (a fixed wait here was a guess at how many it takes).
  const expressions = [...queries.map((q) => dashboardExpr(q.expr)), ...recordingRules.flatMap((r) => [r.expr, recordedSeries(r.record!)])];
  for (const promql of expressions) await waitForData(promql);
}, 180_000);

const dashboardExpr = (expr: string): string => expandVariables(expr, { job: JOB, rateInterval: '1m', range: '5m' });
const recordedSeries = (record: string): string => `${record}{job="${JOB}"}`;

/** The samples of `promql` that are numbers (NaN is no data). */
async function numbersOf(promql: string): Promise<number> {
  const samples = await prometheus!.query(promql);
  return samples.filter((s) => !Number.isNaN(s.value)).length;
}

async function waitForData(promql: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await numbersOf(promql)) === 0) {
    if (Date.now() > deadline) throw new Error(`no data for ${promql} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

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
    await expectData(dashboardExpr(expr));
  });

  it.each(recordingRules.map((r) => [r.record!, r.expr]))(
    'the recording rule %s returns data, computed and recorded',
    async (record, expr) => {
      await expectData(expr);
      await expectData(recordedSeries(record));
    },
  );

  it('evaluates every recording and alert rule without error', async () => {
    const groups = (await prometheus!.rules()) as { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.length).toBe(ruleCount);
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
