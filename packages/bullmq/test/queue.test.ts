// observe(queue): the gauges are read from Redis at collect time (so two processes observing one
// queue report the same numbers), come out promtool-clean under the pinned Prometheus names, and
// the health checks follow Redis going away and coming back without a restart.
import type { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, sampleOf, startRig, VERSIONS } from './rig.js';
import type { BullMQ, Rig } from './rig.js';

describe.each(VERSIONS)('%s', (_label, bullmq: BullMQ) => {
  let rig: Rig;
  const queues: Queue[] = [];
  let clock = Date.UTC(2026, 0, 1, 12);

  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 1, 12);
    rig = await startRig({ now: () => clock, collectTimeoutMs: 500 });
  });
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
    await rig.close();
  });

  function queue(name: string): Queue {
    const q = rig.redis.tie(new bullmq.Queue(name, { connection: rig.connection, telemetry: rig.bull.telemetry }));
    queues.push(q);
    return q;
  }

  it('reports job counts by state and the oldest waiting age, read at collect time', async () => {
    const q = queue('counts');
    rig.bull.observe(q);
    const empty = await rig.metrics();
    expect(sampleOf(empty, 'bullmq_queue_jobs', { queue: 'counts', state: 'waiting' })).toBe(0);
    expect(sampleOf(empty, 'bullmq_queue_oldest_waiting_age_seconds', { queue: 'counts' })).toBe(0);
    for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children', 'paused']) {
      expect(sampleOf(empty, 'bullmq_queue_jobs', { queue: 'counts', state }), state).toBe(0);
    }

    const first = await q.add('a', {}, { timestamp: clock - 90_000 });
    await q.add('b', {}, { timestamp: clock - 30_000 });
    await q.add('c', {}, { delay: 60_000 });
    await q.add('d', {}, { priority: 5 });
    expect(first.timestamp).toBe(clock - 90_000);
    const text = await rig.metrics();
    expect(sampleOf(text, 'bullmq_queue_jobs', { queue: 'counts', state: 'waiting' })).toBe(2);
    expect(sampleOf(text, 'bullmq_queue_jobs', { queue: 'counts', state: 'delayed' })).toBe(1);
    expect(sampleOf(text, 'bullmq_queue_jobs', { queue: 'counts', state: 'prioritized' })).toBe(1);
    expect(sampleOf(text, 'bullmq_queue_oldest_waiting_age_seconds', { queue: 'counts' })).toBe(90);
    expect(text).toContain('# TYPE bullmq_queue_jobs gauge');
    expect(text).toContain('# TYPE bullmq_queue_oldest_waiting_age_seconds gauge');

    clock += 10_000;
    expect(await rig.sample('bullmq_queue_oldest_waiting_age_seconds', { queue: 'counts' })).toBe(100);
    expect(rig.errors).toEqual([]);
  });

  it('gives two observers of one queue, in two Observability instances, the same values', async () => {
    const q = queue('shared');
    rig.bull.observe(q);
    const other = await startRig({ now: () => clock }, rig.redis);
    try {
      const q2 = other.redis.tie(new bullmq.Queue('shared', { connection: other.connection }));
      other.bull.observe(q2);
      await q.add('x', {});
      await q2.add('y', {});
      const [mine, theirs] = [await rig.metrics(), await other.metrics()];
      expect(sampleOf(mine, 'bullmq_queue_jobs', { queue: 'shared', state: 'waiting' })).toBe(2);
      expect(sampleOf(theirs, 'bullmq_queue_jobs', { queue: 'shared', state: 'waiting' })).toBe(2);
      await q2.close();
    } finally {
      await other.close();
    }
  });

  it('reports a queue it cannot read, keeps the scrape answering, and reads the queue again once Redis is back', async () => {
    const q = queue('away');
    rig.bull.observe(q);
    await q.add('x', {});
    expect(await rig.sample('bullmq_queue_jobs', { queue: 'away', state: 'waiting' })).toBe(1);
    await rig.redis.pause();
    try {
      const text = await rig.metrics(); // answers within collectTimeoutMs, not when Redis returns
      expect(text).toContain('# TYPE batch_submitted_total counter');
      expect(rig.errors.map((e) => e.code)).toContain('ERR_OGF_BULLMQ_COLLECT');
      expect(rig.errors.find((e) => e.code === 'ERR_OGF_BULLMQ_COLLECT')?.message).toMatch(/queue away: its gauges could not be read/);
    } finally {
      await rig.redis.resume();
    }
    // pause() kills Redis without a save: the queue is empty again. Two new jobs: a fresh reading says 2.
    await q.add('y', {});
    await q.add('z', {});
    expect((await q.getJobCounts('waiting')).waiting).toBe(2);
    await eventually(
      () => rig.sample('bullmq_queue_jobs', { queue: 'away', state: 'waiting' }),
      (v) => v === 2,
      'waiting after Redis came back',
    );
  });

  it('fails readiness while Redis is away and recovers without a restart', async () => {
    const q = queue('health');
    rig.bull.observe(q, { thresholds: { backlog: { degradedAbove: 1, unhealthyAbove: 3 } } });
    const worker = rig.redis.tie(
      new bullmq.Worker(
        'health',
        rig.bull.processor(() => 1),
        { connection: rig.connection },
      ),
    );
    rig.bull.observe(worker);
    const ready = async (): Promise<{
      status: number;
      body: { status: string; checks: Record<string, { status: string; message?: string }> };
    }> => {
      const response = await rig.obs.app.request('/health/ready');
      return { status: response.status, body: (await response.json()) as never };
    };
    const first = await ready();
    expect(first.status).toBe(200);
    expect(first.body.checks['bullmq:health:redis']?.status).toBe('healthy');
    expect(first.body.checks['bullmq:health:backlog']?.status).toBe('healthy');
    expect(first.body.checks['bullmq:health:worker']?.status).toBe('healthy');

    await rig.redis.pause();
    try {
      // Each check keeps its own 1 s result cache, so one probe can fail on the worker's fresh result while
      // the Redis check still answers from its cache: wait for the Redis check itself.
      const down = await eventually(
        ready,
        (r) => r.status === 503 && r.body.checks['bullmq:health:redis']?.status === 'unhealthy',
        'readiness while Redis is down',
      );
      expect(down.body.checks['bullmq:health:redis']).toMatchObject({ status: 'unhealthy', message: 'redis_unreachable' });
      await eventually(
        ready,
        (r) => r.body.checks['bullmq:health:worker']?.message === 'redis_unreachable',
        'the worker check while Redis is down',
      );
    } finally {
      await rig.redis.resume();
    }
    const up = await eventually(ready, (r) => r.status === 200, 'readiness after Redis came back');
    expect(up.body.checks['bullmq:health:redis']?.status).toBe('healthy');
    await eventually(ready, (r) => r.body.checks['bullmq:health:worker']?.status === 'healthy', 'the worker check after Redis came back');
    await worker.close();
  });

  it('judges the backlog and the oldest waiting age against their thresholds', async () => {
    const q = queue('backlog');
    const observation = rig.bull.observe(q, {
      thresholds: { backlog: { degradedAbove: 1, unhealthyAbove: 2 }, oldestWaitingAgeSeconds: { degradedAbove: 60 } },
    });
    const check = async (): Promise<{ status: string; message?: string; details?: Record<string, unknown> }> => {
      const report = await rig.obs.health.report();
      return report.checks['bullmq:backlog:backlog'] as never;
    };
    await q.add('a', {}, { timestamp: clock - 120_000 });
    expect(await check()).toMatchObject({
      status: 'degraded',
      message: 'oldest_waiting_too_old',
      details: { waiting: 1, oldest_waiting_age_seconds: 120 },
    });
    await q.add('b', {});
    await q.add('c', {});
    // The checker caches each result for a while: wait for the new one rather than guessing how long.
    const full = await eventually(check, (c) => c.status !== 'degraded', 'the backlog check after two more jobs');
    expect(full).toMatchObject({ status: 'unhealthy', message: 'backlog_and_age_high', details: { waiting: 3 } });
    // Not critical by default: an unhealthy backlog degrades readiness, it does not fail it.
    expect((await rig.obs.app.request('/health/ready')).status).toBe(200);
    observation.close();
    expect((await rig.obs.health.report()).checks['bullmq:backlog:backlog']).toBeUndefined();
  });
});
