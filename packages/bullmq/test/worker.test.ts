// The wrapped processor and observe(worker) on real BullMQ workers (newest and oldest supported):
// failures classified, retries counted from attemptsMade,
// malformed or missing carriers never failing a job, BullMQ's own job metrics, cancellation, and
// the worker health check. Stalled jobs: processes.test.ts (a worker process killed with SIGKILL).
import type { Job, Queue, Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, sampleOf, startRig, VERSIONS } from './rig.js';
import type { BullMQ, Rig } from './rig.js';

describe.each(VERSIONS)('%s', (label, bullmq: BullMQ) => {
  let rig: Rig;
  const closers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await rig.close();
  });

  function queue(name: string, telemetry = true): Queue {
    const q = rig.redis.tie(
      new bullmq.Queue(name, { connection: rig.connection, ...(telemetry ? { telemetry: rig.bull.telemetry } : {}) }),
    );
    closers.push(() => q.close());
    return q;
  }
  function worker(name: string, fn: Parameters<Rig['bull']['processor']>[0], options: Record<string, unknown> = {}): Worker {
    const w = rig.redis.tie(
      new bullmq.Worker(name, rig.bull.processor(fn), { connection: rig.connection, telemetry: rig.bull.telemetry, ...options }),
    );
    closers.push(() => w.close(true));
    return w;
  }
  const settled = (w: Worker, count: number, events: ('completed' | 'failed')[] = ['completed', 'failed']): Promise<void> =>
    new Promise((resolve) => {
      let seen = 0;
      for (const event of events) w.on(event, () => ++seen === count && resolve());
    });

  it('classifies a failure, counts each retry from attemptsMade, and a retry that then succeeds', async () => {
    const q = queue('retries');
    let calls = 0;
    const w = worker('retries', () => {
      calls += 1;
      if (calls < 3) throw new Error('connection refused by the emission factor service');
      return 'ok';
    });
    rig.bull.observe(w);
    const done = settled(w, 1, ['completed']);
    await rig.bull.submit(q, { id: 'r-1', activityCount: 0 }, 'batch', { batchId: 'r-1' }, { attempts: 3 });
    await done;
    const text = await rig.metrics();
    expect(sampleOf(text, 'batch_failed_total', { error_type: 'network' })).toBe(2);
    expect(sampleOf(text, 'batch_completed_total')).toBe(1);
    expect(sampleOf(text, 'batch_retries_total')).toBe(2);
    expect(sampleOf(text, 'batch_retries_success_total')).toBe(1);
    expect(sampleOf(text, 'queue_wait_duration_seconds_count')).toBe(3);
    await rig.obs.forceFlush();
    const spans = await rig.receiver.waitForSpans((all) => all.filter((s) => s.name === 'batch.processing').length === 3);
    const runs = spans.filter((s) => s.name === 'batch.processing');
    expect(new Set(runs.map((s) => s.traceId)).size).toBe(1);
    expect(runs.map((s) => s.status.code).sort()).toEqual(['error', 'error', 'unset']);
  });

  it.each([
    ['with', true],
    ['without', false],
  ])('processes a job whose carrier is malformed in a new trace, and reports it (worker %s telemetry)', async (_, withTelemetry) => {
    const q = queue('bad-carrier', false);
    const seen: string[] = [];
    const w = worker(
      'bad-carrier',
      (job: Job) => {
        seen.push(String(job.id));
        return 1;
      },
      withTelemetry ? {} : { telemetry: undefined },
    );
    const done = settled(w, 3);
    await q.add('batch', { batchId: 'garbage' }, { telemetry: { metadata: '{not json' } });
    await q.add('batch', { batchId: 'wrong-shape' }, { telemetry: { metadata: JSON.stringify({ traceparent: 'nonsense' }) } });
    await q.add('batch', { batchId: 'none' });
    await done;
    expect(seen).toHaveLength(3);
    expect(await rig.sample('batch_completed_total')).toBe(3);
    expect((await rig.sample('batch_failed_total')) ?? 0).toBe(0);
    const messages = rig.errors.filter((e) => e.code === 'ERR_OGF_BULLMQ_CARRIER').map((e) => e.message);
    // Both malformed carriers are reported (by our context manager inside BullMQ, or by the wrapper); the missing one is not.
    expect(messages.some((m) => m.includes('is not JSON'))).toBe(true);
    expect(messages.some((m) => m.includes('has an invalid traceparent'))).toBe(true);
    expect(rig.errors.filter((e) => e.code !== 'ERR_OGF_BULLMQ_CARRIER')).toEqual([]);
    await rig.obs.forceFlush();
    const spans = await rig.receiver.waitForSpans((all) => all.filter((s) => s.name === 'batch.processing').length === 3);
    const runs = spans.filter((s) => s.name === 'batch.processing');
    expect(new Set(runs.map((s) => s.traceId)).size).toBe(3);
    for (const run of runs) expect(run.status.code).not.toBe('error');
  });

  it('warns in the log by default about a malformed carrier (no onError given)', async () => {
    const own = await startRig({ onError: undefined }, rig.redis);
    try {
      const q = own.redis.tie(new bullmq.Queue('warned', { connection: own.connection }));
      const w = own.redis.tie(
        new bullmq.Worker(
          'warned',
          own.bull.processor(() => 1),
          { connection: own.connection },
        ),
      );
      const done = new Promise((resolve) => w.on('completed', resolve));
      await q.add('batch', { batchId: 'w-1' }, { telemetry: { metadata: 'garbage' } });
      await done;
      const warning = own.logs.find((line) => line.code === 'ERR_OGF_BULLMQ_CARRIER');
      expect([40, 'warn']).toContain(warning?.level);
      expect(warning).toMatchObject({
        event: 'ogf.error',
        source: 'bullmq',
      });
      await w.close();
      await q.close();
    } finally {
      await own.close();
    }
  });

  it('reports the worker healthy while running, degraded when paused, unhealthy once closed', async () => {
    const w = worker('lifecycle', () => 1);
    rig.bull.observe(w);
    const check = async (): Promise<{ status: string; message?: string }> =>
      (await rig.obs.health.report()).checks['bullmq:lifecycle:worker'] as never;
    // The checker caches each result for a while: wait for the new one rather than guessing how long.
    await eventually(check, (c) => c.status === 'healthy', 'worker check while running');
    await w.pause(true);
    const paused = await eventually(check, (c) => c.status !== 'healthy', 'worker check once paused');
    expect(paused).toMatchObject({ status: 'degraded', message: 'paused' });
    await w.resume();
    await w.close();
    const closed = await eventually(check, (c) => c.status !== 'degraded', 'worker check once closed');
    expect(closed).toMatchObject({ status: 'unhealthy', message: 'not_running' });
    expect((await rig.obs.app.request('/health/ready')).status).toBe(503);
  });

  if (label.includes('6.')) {
    it("records BullMQ's own job metrics through telemetry.meter, with the duration in seconds", async () => {
      const q = queue('meter');
      const w = worker('meter', () => 1);
      const done = settled(w, 1);
      await q.add('job', {});
      await done;
      const text = await rig.metrics();
      expect(sampleOf(text, 'bullmq_jobs_completed_total', { bullmq_queue_name: 'meter' })).toBe(1);
      expect(sampleOf(text, 'bullmq_job_duration_seconds_count', { bullmq_queue_name: 'meter' })).toBe(1);
      expect(text).toMatch(/bullmq_job_duration_seconds_bucket\{[^}]*le="0\.005"/);
    });

    it("cancels the run when the worker cancels the job (BullMQ 6's AbortSignal), with cancellation: true", async () => {
      const q = queue('cancel');
      let started: (job: Job) => void = () => undefined;
      const running = new Promise<Job>((resolve) => (started = resolve));
      const processor = rig.bull.processor(
        (job, run) => {
          started(job);
          return new Promise((_, reject) => run.signal.addEventListener('abort', () => reject(new Error('aborted by the worker'))));
        },
        { cancellation: true },
      );
      expect(processor.length).toBe(3);
      const w = rig.redis.tie(new bullmq.Worker('cancel', processor, { connection: rig.connection, telemetry: rig.bull.telemetry }));
      closers.push(() => w.close(true));
      await rig.bull.submit(q, { id: 'c-1', activityCount: 0 }, 'batch', { batchId: 'c-1' });
      const job = await running;
      const failed = new Promise((resolve) => w.on('failed', resolve));
      expect(w.cancelJob(String(job.id))).toBe(true);
      await failed;
      expect(await rig.sample('batch_cancelled_total')).toBe(1);
      expect(await rig.sample('batch_failed_total')).toBeUndefined();
    });

    it('takes no AbortSignal by default, so cancelJob does not reach the job and it completes', async () => {
      const q = queue('no-cancel');
      let started: (job: Job) => void = () => undefined;
      const running = new Promise<Job>((resolve) => (started = resolve));
      let release: () => void = () => undefined;
      const processor = rig.bull.processor(async (job) => {
        started(job);
        await new Promise<void>((resolve) => (release = resolve));
        return 'done';
      });
      expect(processor.length).toBe(2);
      expect(rig.bull.processor(() => 1, { cancellation: false }).length).toBe(2);
      const w = rig.redis.tie(new bullmq.Worker('no-cancel', processor, { connection: rig.connection, telemetry: rig.bull.telemetry }));
      closers.push(() => w.close(true));
      await rig.bull.submit(q, { id: 'nc-1', activityCount: 0 }, 'batch', { batchId: 'nc-1' });
      const job = await running;
      const completed = new Promise((resolve) => w.on('completed', resolve));
      expect(w.cancelJob(String(job.id))).toBe(false);
      release();
      await completed;
      expect(await rig.sample('batch_completed_total')).toBe(1);
      expect((await rig.sample('batch_cancelled_total')) ?? 0).toBe(0);
    });
  }
});
