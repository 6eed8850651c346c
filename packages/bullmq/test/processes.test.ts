// Across real processes: a producer process and a worker process share one trace at a real OTLP
// receiver, and a worker process killed with SIGKILL in the middle of a job leaves a stalled job
// that another worker recovers (counted in bullmq_jobs_stalled_total) and completes exactly once;
// past maxStalledCount the stalled checker fails it, which counts as a failed batch.
import type { Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRole } from './processes.js';
import type { RoleProcess, RoleRuntime } from './processes.js';
import { eventually, sampleOf, startRig, VERSIONS } from './rig.js';
import type { BullMQ, Rig } from './rig.js';

describe.each(VERSIONS)('%s', (label, bullmq: BullMQ) => {
  const version = label.includes('oldest') ? 'oldest' : 'newest';
  let rig: Rig;
  const processes: RoleProcess[] = [];
  const workers: Worker[] = [];

  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.stop();
    for (const w of workers.splice(0)) await w.close(true);
    await rig.close();
  });

  const role = (env: Record<string, string>, runtime: RoleRuntime = 'node'): RoleProcess => {
    const p = startRole({ BULLMQ: version, REDIS_PORT: String(rig.redis.port), OTLP_ENDPOINT: rig.receiver.url, ...env }, runtime);
    processes.push(p);
    return p;
  };

  it.each<RoleRuntime>(['node', 'bun', 'deno'])(
    'continues the submission trace of a Node producer process in a worker process on %s',
    async (runtime) => {
      const worker = role({ ROLE: 'worker', QUEUE: 'traced' }, runtime);
      await worker.waitFor((e) => e.event === 'ready');
      const producer = role({ ROLE: 'producer', QUEUE: 'traced', BATCHES: '2' });
      await producer.waitFor((e) => e.event === 'done');
      expect(await producer.exited).toBe(0);
      await worker.waitFor((e) => e.event === 'completed' && e.jobId === '2');
      await worker.stop(); // SIGTERM: the worker closes and flushes its spans

      const spans = await rig.receiver.waitForSpans((all) => all.filter((s) => s.name === 'batch.processing').length === 2);
      for (const batchId of ['batch-0', 'batch-1']) {
        const submission = spans.find((s) => s.name === 'batch.submission' && s.attributes['batch.id'] === batchId)!;
        const processing = spans.find((s) => s.name === 'batch.processing' && s.attributes['batch.id'] === batchId)!;
        expect(submission.resource['service.name']).toBe('bullmq-producer');
        expect(processing.resource['service.name']).toBe('bullmq-worker');
        expect(processing.traceId).toBe(submission.traceId);
        // batch.processing nests under BullMQ's `process` span, which continues the producer's `add` span.
        const processSpan = spans.find((s) => s.spanId === processing.parentSpanId)!;
        expect(processSpan.name).toBe('process traced');
        const add = spans.find((s) => s.spanId === processSpan.parentSpanId)!;
        expect(add.name).toBe('add traced.batch');
        expect(add.parentSpanId).toBe(submission.spanId);
      }
      expect(worker.events.filter((e) => e.event === 'error')).toEqual([]);
    },
  );

  async function killMidJob(queueName: string): Promise<void> {
    const doomed = role({ ROLE: 'worker', QUEUE: queueName, JOB: 'hang', LOCK_MS: '1000', STALLED_MS: '300' });
    await doomed.waitFor((e) => e.event === 'ready');
    // Submitted from this process, as the producer role does: which process submits does not matter
    // here (the trace test above covers a producer process), and it saves starting one.
    const queue = rig.redis.tie(new bullmq.Queue(queueName, { connection: rig.connection, telemetry: rig.bull.telemetry }));
    await rig.bull.submit(queue, { id: 'batch-0', orgId: 'org-1', activityCount: 1 }, 'batch', { batchId: 'batch-0', orgId: 'org-1' });
    await queue.close();
    await doomed.waitFor((e) => e.event === 'active');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
  }

  it('recovers the job of a worker killed with SIGKILL mid-job and completes it exactly once', async () => {
    await killMidJob('killed');
    const completed: string[] = [];
    const rescuer = rig.redis.tie(
      new bullmq.Worker(
        'killed',
        rig.bull.processor((job) => {
          completed.push(String(job.id));
          return 'done';
        }),
        { connection: rig.connection, telemetry: rig.bull.telemetry, stalledInterval: 300, lockDuration: 1000 },
      ),
    );
    workers.push(rescuer);
    rig.bull.observe(rescuer);
    // The processor runs before the lifecycle counts the batch: wait for the count, not the call.
    const text = await eventually(
      () => rig.metrics(),
      (metrics) => completed.length === 1 && sampleOf(metrics, 'batch_completed_total') === 1,
      'the stalled job completed by the rescuer',
      20_000,
    );
    expect(sampleOf(text, 'bullmq_jobs_stalled_total', { queue: 'killed' })).toBe(1);
    expect(sampleOf(text, 'batch_completed_total')).toBe(1);
    expect(completed).toEqual(['1']);
    const check = (await rig.obs.health.report()).checks['bullmq:killed:worker'];
    expect(check).toMatchObject({ status: 'degraded', message: 'stalled_jobs', details: { stalled_recently: 1 } });
  });

  it('counts a job the stalled checker fails (past maxStalledCount) as a failed batch', async () => {
    await killMidJob('killed-for-good');
    const rescuer = rig.redis.tie(
      new bullmq.Worker(
        'killed-for-good',
        rig.bull.processor(() => 'never runs'),
        { connection: rig.connection, telemetry: rig.bull.telemetry, stalledInterval: 300, lockDuration: 1000, maxStalledCount: 0 },
      ),
    );
    workers.push(rescuer);
    rig.bull.observe(rescuer);
    await eventually(
      () => rig.sample('batch_failed_total', { error_type: 'other' }),
      (v) => v === 1,
      'batch_failed_total',
      20_000,
    );
    expect(await rig.sample('batch_errors_total', { error_type: 'other' })).toBe(1);
    expect((await rig.sample('batch_completed_total')) ?? 0).toBe(0);
  });
});
