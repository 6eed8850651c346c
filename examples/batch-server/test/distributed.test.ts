import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { startPrometheus, type PrometheusServer } from '@ogf/testkit/prometheus';
import { startPostgres, startRedis, type PostgresHandle, type RedisHandle } from '@ogf/testkit/services';
import { getJson, submitBatch, waitFor, waitForBatch, type Activity } from './helpers/api.ts';
import { expectedKg, knownActivities } from './helpers/expected.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';

// The distributed mode for real: Redis and PostgreSQL from the testkit, one api process and three
// worker processes (QUEUE=bullmq), a real Prometheus scraping all four, an OTLP receiver.
const BATCHES = 200;
const ORGS = 8;
const WORKERS = ['worker-1', 'worker-2', 'worker-3'];
const rulesDir = join(import.meta.dirname, '..', '..', '..', 'deploy', 'prometheus', 'rules');
const batchActivities = (index: number): Activity[] => knownActivities(1 + (index % 3), `b${index}-`);

describe('the batch server distributed over Redis and PostgreSQL', () => {
  let redis: RedisHandle;
  let postgres: PostgresHandle;
  let receiver: OtlpReceiver;
  let prometheus: PrometheusServer | undefined;
  let api: ServerProcess;
  const workers = new Map<string, ServerProcess>();
  const submitted = new Map<string, number>();

  const env = (role: string, instance: string): Record<string, string> => ({
    QUEUE: 'bullmq',
    ROLE: role,
    INSTANCE_ID: instance,
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    WORKERS: '2',
    QUEUE_CAPACITY: '1000',
    // Slow enough to catch a batch midway for the kill -9 case; 200 small batches still take seconds.
    ACTIVITY_DELAY_MS: '25',
    // A dead worker's job is taken back within seconds, not BullMQ's default 30 s.
    BULLMQ_LOCK_DURATION_MS: '2000',
    BULLMQ_STALLED_INTERVAL_MS: '1000',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'batch-server',
    SHUTDOWN_TIMEOUT_MS: '60000',
  });
  const sql = async <Row>(text: string, params: unknown[] = []): Promise<Row[]> =>
    (await postgres.pool().query(text, params)).rows as Row[];

  beforeAll(async () => {
    [redis, postgres, receiver] = await Promise.all([startRedis(), startPostgres(), startOtlpReceiver()]);
    api = await startServerProcess(env('api', 'api-1'));
    const started = await Promise.all(WORKERS.map((id) => startServerProcess(env('worker', id))));
    WORKERS.forEach((id, index) => workers.set(id, started[index]!));
    // With the repository's recording and alert rules, to see them aggregate across the four processes.
    const rules = Object.fromEntries(['slis.yml', 'alerts.yml'].map((file) => [file, readFileSync(join(rulesDir, file), 'utf8')]));
    prometheus = await startPrometheus({ targets: [api, ...started].map((p) => `127.0.0.1:${p.port}`), jobName: 'batch-server', rules });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all([api, ...workers.values()].map((p) => p?.stop()));
    await receiver?.close();
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });

  it('completes 200 batches submitted to one api process exactly once across three workers', async () => {
    for (let index = 0; index < BATCHES; index += 1) {
      const response = await submitBatch(api.url, { org_id: `org-${index % ORGS}`, activities: batchActivities(index) });
      expect(response.status, JSON.stringify(response.json)).toBe(202);
      submitted.set(response.json.batch_id, index);
    }
    await waitFor(
      async () => {
        const [row] = await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM batches WHERE state IN ('completed', 'failed', 'cancelled')`,
        );
        return row!.n === BATCHES ? true : undefined;
      },
      'every batch to finish',
      240_000,
    );

    const rows = await sql<{
      id: string;
      state: string;
      success_count: number;
      total_emissions_kg: number;
      completions: number;
      workers: string[];
    }>(
      `SELECT b.id, b.state, b.success_count, b.total_emissions_kg,
              (SELECT count(*)::int FROM batch_transitions t WHERE t.batch_id = b.id AND t.to_state = 'completed') AS completions,
              (SELECT array_agg(DISTINCT r.worker_id) FROM activity_results r WHERE r.batch_id = b.id) AS workers
         FROM batches b`,
    );
    expect(rows).toHaveLength(BATCHES);
    const byWorker = new Map<string, number>();
    for (const row of rows) {
      const activities = batchActivities(submitted.get(row.id)!);
      expect(row, row.id).toMatchObject({ state: 'completed', completions: 1, success_count: activities.length });
      expect(Number(row.total_emissions_kg)).toBeCloseTo(
        activities.reduce((sum, a) => sum + expectedKg(a), 0),
        3,
      );
      for (const worker of row.workers) byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
    }
    // Every worker process took part; the api process ran nothing.
    expect([...byWorker.keys()].sort()).toEqual(WORKERS);
    const [results] = await sql<{ n: number; distinct_ids: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (batch_id, activity_id))::int AS distinct_ids FROM activity_results`,
    );
    const expectedResults = [...submitted.values()].reduce((n, index) => n + batchActivities(index).length, 0);
    expect(results).toEqual({ n: expectedResults, distinct_ids: expectedResults });
  });

  it('adds up in a real Prometheus scraping all four processes: sum(batch_completed_total) == 200, queue gauges agree', async () => {
    await prometheus!.waitForTargetsUp();
    await prometheus!.waitForValue('sum(batch_completed_total)', BATCHES, { timeoutMs: 60_000 });
    // The api process is scraped on its own schedule: its last scrape may predate the last submission.
    await prometheus!.waitForValue('sum(batch_submitted_total)', BATCHES, { timeoutMs: 30_000 });
    // Submissions are counted by the api process only, completions by the workers only.
    const submittedBy = await prometheus!.query('sum by (instance) (batch_submitted_total) > 0');
    expect(submittedBy).toEqual([{ metric: { instance: `127.0.0.1:${api.port}` }, value: BATCHES }]);
    const completedBy = await prometheus!.query('sum by (instance) (batch_completed_total) > 0');
    expect(completedBy.map((s) => s.metric.instance).sort()).toEqual([...workers.values()].map((w) => `127.0.0.1:${w.port}`).sort());
    // Every process reads the same queue: four series of one truth; max, not sum, is the queue.
    const completedJobs = 'bullmq_queue_jobs{queue="batches",state="completed"}';
    await prometheus!.waitForValue(`count(${completedJobs} == ${BATCHES})`, 4, { timeoutMs: 30_000 });
    expect(await prometheus!.query(`max by (queue) (${completedJobs})`)).toMatchObject([{ value: BATCHES }]);
    expect(await prometheus!.query(`sum(${completedJobs})`)).toMatchObject([{ value: 4 * BATCHES }]);
    // The repository's rules take the queue once and the counters of every process.
    await prometheus!.waitForValue('job_queue_state:bullmq_queue_jobs:max{job="batch-server",queue="batches",state="completed"}', BATCHES, {
      timeoutMs: 30_000,
    });
    expect(await prometheus!.query('job:queue_backlog:size')).toMatchObject([{ metric: { job: 'batch-server' }, value: 0 }]);
    // One series for the job, not one per process.
    await prometheus!.waitForValue('count(job:batch_completed:rate5m)', 1, { timeoutMs: 30_000 });
    expect(await prometheus!.query('job:batch_completed:rate5m')).toMatchObject([{ metric: { job: 'batch-server' } }]);
    const waiting = await prometheus!.query('bullmq_queue_jobs{queue="batches",state="waiting"}');
    expect(waiting).toHaveLength(4);
    expect(new Set(waiting.map((s) => s.value))).toEqual(new Set([0]));
    // Each process says who it is.
    for (const [id, process] of [['api-1', api] as const, ...workers.entries()]) {
      const { json } = await getJson<{ instance_id?: string }>(`${process.url}/status`);
      expect(json.instance_id).toBe(id);
    }
  });

  it("shares one trace between a batch's submission in the api process and its processing in a worker process", async () => {
    const [batchId] = submitted.keys();
    const spans = await receiver.waitForSpans(
      (all) =>
        ['batch.submission', 'batch.processing'].every((name) => all.some((s) => s.name === name && s.attributes['batch.id'] === batchId)),
      30_000,
    );
    const submission = spans.find((s) => s.name === 'batch.submission' && s.attributes['batch.id'] === batchId)!;
    const processing = spans.find((s) => s.name === 'batch.processing' && s.attributes['batch.id'] === batchId)!;
    expect(submission.resource['service.instance.id']).toBe('api-1');
    expect(WORKERS).toContain(processing.resource['service.instance.id']);
    expect(processing.traceId).toBe(submission.traceId);
  });

  it('recovers the batch of a worker killed with kill -9 midway: it completes exactly once with the right emissions', async () => {
    const activities = knownActivities(120, 'k');
    const response = await submitBatch(api.url, { org_id: 'org-kill', activities });
    expect(response.status).toBe(202);
    const batchId = response.json.batch_id;
    const midway = await waitFor(async () => {
      const { json } = await getJson(`${api.url}/api/v1/batches/${batchId}`);
      return json.status === 'processing' && json.counts.processed >= 10 ? json : undefined;
    }, 'the batch to be partly processed');
    const holder = midway.transitions.findLast((t) => t.to === 'processing')!.worker_id!;
    const victim = workers.get(holder)!;
    victim.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    workers.delete(holder);

    const done = await waitForBatch(api.url, batchId, 120_000);
    expect(done.status).toBe('completed');
    expect(done.counts).toEqual({ activities: 120, processed: 120, succeeded: 120, failed: 0 });
    expect(done.total_emissions_kg).toBeCloseTo(
      activities.reduce((sum, a) => sum + expectedKg(a), 0),
      3,
    );
    const resumed = done.transitions.find((t) => t.reason === 'resumed after worker loss');
    expect(resumed?.from).toBe('processing');
    expect(done.transitions.filter((t) => t.to === 'completed')).toHaveLength(1);
    const lastRun = done.transitions.findLast((t) => t.to === 'processing')!;
    expect(lastRun.worker_id).not.toBe(holder);
    const [row] = await sql<{ n: number; distinct_ids: number; total: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT activity_id)::int AS distinct_ids, sum(emissions_kg) AS total
         FROM activity_results WHERE batch_id = $1`,
      [batchId],
    );
    expect(row).toMatchObject({ n: 120, distinct_ids: 120 });
  });

  it('cancels a running batch from the api process: the worker reads the request in PostgreSQL and stops', async () => {
    const response = await submitBatch(api.url, { org_id: 'org-cancel', activities: knownActivities(120, 'c') });
    const batchId = response.json.batch_id;
    await waitFor(async () => {
      const { json } = await getJson(`${api.url}/api/v1/batches/${batchId}`);
      return json.status === 'processing' && json.counts.processed >= 5 ? true : undefined;
    }, 'the batch to be running');
    const cancel = await fetch(`${api.url}/api/v1/batches/${batchId}`, { method: 'DELETE' });
    expect(cancel.status).toBe(202);
    const done = await waitForBatch(api.url, batchId, 60_000);
    expect(done.status).toBe('cancelled');
    expect(done.counts.processed).toBeLessThan(120);
    const stopped = done.transitions.at(-1)!;
    expect(stopped).toMatchObject({ from: 'processing', to: 'cancelled', reason: 'cancel requested' });
    expect(WORKERS).toContain(stopped.worker_id);
  });

  it('fails readiness while Redis is away and recovers without a restart', async () => {
    const ready = async (process: ServerProcess): Promise<number> => (await fetch(`${process.url}/health/ready`)).status;
    expect(await ready(api)).toBe(200);
    await redis.pause();
    // Each check caches its own result for 1 s, so readiness can fail on another check's fresh
    // result while the Redis check still answers from its cache: wait for the Redis check itself.
    const down = await waitFor(
      async () => {
        const { status, json } = await getJson<{ checks: Record<string, { status: string }> }>(`${api.url}/health/ready`);
        return status === 503 && json.checks['bullmq:batches:redis']?.status === 'unhealthy' ? json : undefined;
      },
      'the api to fail readiness on its Redis check',
      30_000,
    );
    expect(down.checks['bullmq:batches:redis']?.status).toBe('unhealthy');
    const [worker] = workers.values();
    await waitFor(async () => ((await ready(worker!)) === 503 ? true : undefined), 'a worker to fail readiness', 30_000);
    await redis.resume();
    await waitFor(async () => ((await ready(api)) === 200 ? true : undefined), 'the api to be ready again', 60_000);
    await waitFor(async () => ((await ready(worker!)) === 200 ? true : undefined), 'the worker to be ready again', 60_000);
    // And it works again: a new batch goes through the same processes.
    const response = await submitBatch(api.url, { org_id: 'org-after', activities: knownActivities(2, 'r') });
    expect(response.status).toBe(202);
    expect((await waitForBatch(api.url, response.json.batch_id, 60_000)).status).toBe('completed');
  });
});
