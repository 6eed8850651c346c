// The live check of the anomaly and capacity rules: the example server takes a load step (2 then
// 10 batches a second) through its REST API, and a real Prometheus evaluating slis.yml,
// anomalies.yml and capacity.yml, with their windows shortened by src/short-windows.ts (5 minutes
// → 10 s, the one-day baseline → 2 minutes, the 15-minute forecast → 30 s), shows the throughput
// z-score crossing +3 and the workers needed by Little's law rising with the arrivals.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type PrometheusServer } from '@ogf/testkit/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusDir } from '../src/paths.ts';
import { shortenWindows } from '../src/short-windows.ts';
import { startExample, type Example } from './example-server.ts';

const JOB = 'batch-server';
const RULE_FILES = ['slis.yml', 'anomalies.yml', 'capacity.yml'];
const BASE_RATE = 2;
const STEP_RATE = 10;
/** Long enough for the 2-minute baseline to hold a minute of the base load. */
const BASE_SECONDS = 60;

const ACTIVITIES = [
  { id: 'a1', type: 'electricity', quantity: 1200, unit: 'kWh', region: 'US' },
  { id: 'a2', type: 'diesel', quantity: 40, unit: 'gal' },
  { id: 'a3', type: 'natural_gas', quantity: 250, unit: 'therm' },
];

/** Submits `rate()` batches a second, spread over 20 organisations (no lock contention), until stopped. */
function startLoad(baseUrl: string, rate: () => number): { stop(): Promise<void>; submitted(): number } {
  let stopped = false;
  let submitted = 0;
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    for (let n = 0; !stopped; n++) {
      const request = fetch(`${baseUrl}/api/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ org_id: `org-${n % 20}`, activities: ACTIVITIES }),
      }).then(
        async (response) => {
          if (response.status === 202) submitted += 1;
          await response.body?.cancel();
        },
        () => undefined, // busy server: the next one goes out on time anyway
      );
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      await new Promise((resolve) => setTimeout(resolve, 1000 / rate()));
    }
  })();
  return {
    submitted: () => submitted,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(inFlight);
    },
  };
}

let server: Example | undefined;
let prometheus: PrometheusServer | undefined;
let load: ReturnType<typeof startLoad> | undefined;
let rate = BASE_RATE;
const dataDir = mkdtempSync(join(tmpdir(), 'ogf-ops-capacity-'));
const before = { z: NaN, workersNeeded: NaN, arrivals: NaN };

async function value(promql: string): Promise<number> {
  const [sample] = await prometheus!.query(promql);
  return sample?.value ?? NaN;
}

beforeAll(async () => {
  server = await startExample({
    DATA_DIR: dataDir,
    WORKERS: '4',
    QUEUE_CAPACITY: '1000',
    ACTIVITY_DELAY_MS: '20',
    FAULT_RATE: '0',
    SHUTDOWN_TIMEOUT_MS: '5000',
  });
  prometheus = await startPrometheus({
    targets: [`127.0.0.1:${server.port}`],
    jobName: JOB,
    scrapeIntervalSeconds: 1,
    rules: Object.fromEntries(RULE_FILES.map((f) => [f, shortenWindows(readFileSync(join(prometheusDir, 'rules', f), 'utf8'))])),
  });
  await prometheus.waitForTargetsUp({ timeoutMs: 30_000 });
  load = startLoad(server.url, () => rate);
  await prometheus.waitForValue(`job:workers_needed:rate5m{job="${JOB}"}`, (v) => v > 0, { timeoutMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, BASE_SECONDS * 1000));
  before.z = await value(`job:batch_signal:zscore1d{job="${JOB}", signal="throughput"}`);
  before.workersNeeded = await value(`job:workers_needed:rate5m{job="${JOB}"}`);
  before.arrivals = await value(`job:batch_arrival:rate5m{job="${JOB}"}`);
  rate = STEP_RATE;
}, 240_000);

afterAll(async () => {
  await load?.stop();
  await prometheus?.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the anomaly and capacity rules, live, under a load step (short test windows)', () => {
  it('held steady under the base load: throughput inside ±3 of its baseline, some workers needed', () => {
    expect(before.arrivals).toBeGreaterThan(BASE_RATE / 2);
    expect(Math.abs(before.z), `throughput z-score before the step: ${before.z}`).toBeLessThan(3);
    expect(before.workersNeeded).toBeGreaterThan(0);
  });

  it('the throughput z-score crosses +3 after the step', async () => {
    const z = await prometheus!.waitForValue(`job:batch_signal:zscore1d{job="${JOB}", signal="throughput"}`, (v) => v > 3, {
      timeoutMs: 60_000,
    });
    expect(z).toBeGreaterThan(3);
  }, 90_000);

  it("the workers needed by Little's law rise with the arrivals", async () => {
    const arrivals = await prometheus!.waitForValue(`job:batch_arrival:rate5m{job="${JOB}"}`, (v) => v > 3 * before.arrivals, {
      timeoutMs: 60_000,
    });
    expect(arrivals).toBeGreaterThan(3 * before.arrivals);
    const needed = await prometheus!.waitForValue(`job:workers_needed:rate5m{job="${JOB}"}`, (v) => v > 2 * before.workersNeeded, {
      timeoutMs: 60_000,
    });
    expect(needed).toBeGreaterThan(2 * before.workersNeeded);
    // With the backlog forecast on top, never less than the arrivals alone need.
    expect(await value(`job:workers_needed:forecast15m{job="${JOB}"} >= bool on (job) job:workers_needed:rate5m`)).toBe(1);
  }, 150_000);

  it('the load went through the REST API', () => {
    expect(load!.submitted()).toBeGreaterThan(BASE_RATE * BASE_SECONDS);
  });
});
