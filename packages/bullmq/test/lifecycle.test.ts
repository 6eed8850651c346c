// The processor wrapper and `submit` against a real Redis and real BullMQ (newest and oldest
// supported): every job runs in `obs.batches.process`, the batch metrics come out in Prometheus
// names, and the `batch.submission` and `batch.processing` spans share a trace at a real OTLP receiver.
import type { Queue, Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRig, VERSIONS } from './rig.js';
import type { BullMQ, Rig } from './rig.js';

describe.each(VERSIONS)('%s', (_label, bullmq: BullMQ) => {
  let rig: Rig;
  const closers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await rig.close();
  });

  function queueAndWorker(
    name: string,
    fn: Parameters<Rig['bull']['processor']>[0],
    workerOptions: Record<string, unknown> = {},
  ): { queue: Queue; worker: Worker } {
    const { telemetry } = rig.bull;
    const queue = rig.redis.tie(new bullmq.Queue(name, { connection: rig.connection, telemetry }));
    const worker = rig.redis.tie(
      new bullmq.Worker(name, rig.bull.processor(fn), { connection: rig.connection, telemetry, ...workerOptions }),
    );
    closers.push(
      () => queue.close(),
      () => worker.close(),
    );
    return { queue, worker };
  }

  it('runs a submitted job in obs.batches.process: batch metrics, and one trace from submission to processing', async () => {
    const { queue, worker } = queueAndWorker('emissions', (job, run) => {
      const data = job.data as { activities: { id: string; kg: number }[] };
      let total = 0;
      for (const activity of data.activities)
        total += run.activity({ id: activity.id }, (act) => act.calculated({ emissionsKg: activity.kg }));
      return total;
    });
    const done = new Promise((resolve) => worker.on('completed', resolve));
    const job = await rig.bull.submit(queue, { id: 'batch-1', orgId: 'org-1', activityCount: 2 }, 'batch', {
      batchId: 'batch-1',
      orgId: 'org-1',
      activities: [
        { id: 'a1', kg: 1.5 },
        { id: 'a2', kg: 2.5 },
      ],
    });
    expect(job.id).toBeDefined();
    await done;

    expect(await rig.sample('batch_submitted_total')).toBe(1);
    expect(await rig.sample('batch_completed_total')).toBe(1);
    expect(await rig.sample('activity_success_total')).toBe(2);
    expect(await rig.sample('emissions_grams_total')).toBe(4000);
    expect(await rig.sample('queue_wait_duration_seconds_count')).toBe(1);
    expect(await rig.sample('batch_processing_duration_seconds_count')).toBe(1);

    await rig.obs.forceFlush();
    // BullMQ ends its `process` span after it emits 'completed': wait for every span the test reads.
    const spans = await rig.receiver.waitForSpans(
      (all) =>
        all.some((s) => s.name === 'batch.submission') &&
        all.some((s) => s.name === 'batch.processing') &&
        all.some((s) => s.name.startsWith('add emissions')) &&
        all.some((s) => s.name === 'process emissions'),
    );
    const submission = spans.find((s) => s.name === 'batch.submission')!;
    const processing = spans.find((s) => s.name === 'batch.processing')!;
    expect(processing.traceId).toBe(submission.traceId);
    expect(processing.attributes['batch.id']).toBe('batch-1');
    // BullMQ's own spans, through our telemetry, are in the same trace: add under the submission,
    // process under add, batch.processing under process.
    const add = spans.find((s) => s.name.startsWith('add emissions'))!;
    const process = spans.find((s) => s.name === 'process emissions')!;
    expect(add.parentSpanId).toBe(submission.spanId);
    expect(process.traceId).toBe(submission.traceId);
    expect(processing.parentSpanId).toBe(process.spanId);
    expect(rig.errors).toEqual([]);
  });

  it('traces a FlowProducer flow with the same telemetry, and processes its jobs in the wrapper', async () => {
    const flows = rig.redis.tie(new bullmq.FlowProducer({ connection: rig.connection, telemetry: rig.bull.telemetry }));
    closers.push(() => flows.close());
    const processed: string[] = [];
    const { worker } = queueAndWorker('flow', (job) => {
      processed.push(job.name);
      return job.name;
    });
    const parentDone = new Promise((resolve) => worker.on('completed', (job: { name: string }) => job.name === 'parent' && resolve(job)));
    await flows.add({
      name: 'parent',
      queueName: 'flow',
      data: { batchId: 'flow-parent' },
      children: [
        { name: 'child', queueName: 'flow', data: { batchId: 'flow-child-1' } },
        { name: 'child', queueName: 'flow', data: { batchId: 'flow-child-2' } },
      ],
    });
    await parentDone;
    expect(processed.sort()).toEqual(['child', 'child', 'parent']);
    expect(await rig.sample('batch_completed_total')).toBe(3);
    await rig.obs.forceFlush();
    // BullMQ ends each `process` span after it emits 'completed': wait for every span the test reads.
    const spans = await rig.receiver.waitForSpans((all) => {
      const runs = all.filter((s) => s.name === 'batch.processing');
      return (
        runs.length === 3 &&
        runs.every((run) => all.some((s) => s.spanId === run.parentSpanId)) &&
        all.some((s) => s.name.startsWith('addFlow')) &&
        all.filter((s) => s.name === 'addNode flow').length === 3
      );
    });
    const addFlow = spans.find((s) => s.name.startsWith('addFlow'))!;
    expect(addFlow).toBeDefined();
    const runs = spans.filter((s) => s.name === 'batch.processing');
    // BullMQ's FlowProducer stores no trace context in the flow's jobs (6.7.0 and 5.34.0): each job's
    // `process` span starts its own trace, and batch.processing nests under it.
    for (const run of runs) {
      const process = spans.find((s) => s.spanId === run.parentSpanId)!;
      expect(process.name).toBe('process flow');
    }
    expect(spans.filter((s) => s.name === 'addNode flow' && s.traceId === addFlow.traceId)).toHaveLength(3);
  });

  it("links batch.processing to the submission instead, when the tracer's jobRelation is 'link' (worker without telemetry)", async () => {
    const linked = await startRig({}, rig.redis, { tracerOptions: { jobRelation: 'link' } });
    try {
      const queue = linked.redis.tie(new bullmq.Queue('linked', { connection: linked.connection }));
      const worker = linked.redis.tie(
        new bullmq.Worker(
          'linked',
          linked.bull.processor(() => 1),
          { connection: linked.connection },
        ),
      );
      const done = new Promise((resolve) => worker.on('completed', resolve));
      await linked.bull.submit(queue, { id: 'l-1', activityCount: 0 }, 'batch', { batchId: 'l-1' });
      await done;
      await worker.close();
      await queue.close();
      await linked.obs.forceFlush();
      const spans = await linked.receiver.waitForSpans((all) =>
        ['batch.submission', 'batch.processing'].every((name) => all.some((s) => s.name === name)),
      );
      const submission = spans.find((s) => s.name === 'batch.submission')!;
      const processing = spans.find((s) => s.name === 'batch.processing')!;
      expect(processing.traceId).not.toBe(submission.traceId);
      expect(processing.parentSpanId).toBeUndefined();
      expect(processing.links).toEqual([expect.objectContaining({ traceId: submission.traceId, spanId: submission.spanId })]);
    } finally {
      await linked.close();
    }
  });
});
