// A real Prometheus scraping two instances that share one queue: the queue gauges are the same in
// both, so `max by (queue)` is the truth and `sum` would double it; the batch counters are per
// instance and sum to the total. This is the aggregation the README prescribes.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPrometheus } from '@ogf/testkit/prometheus';
import type { PrometheusServer } from '@ogf/testkit/prometheus';
import * as bullmq from 'bullmq';
import { afterEach, expect, it } from 'vitest';
import { startRig } from './rig.js';
import type { Rig } from './rig.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Serves `rig.obs.app` on a real port, as an instance's /metrics. */
async function serve(rig: Rig): Promise<string> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const answer = await rig.obs.app.request(request.url ?? '/', { headers: { accept: request.headers.accept ?? '*/*' } });
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(await answer.text());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it('reports one queue from two instances: max by (queue) is the backlog, sum of counters the total', async () => {
  const first = await startRig();
  cleanups.push(() => first.close());
  const second = await startRig({}, first.redis);
  cleanups.push(() => second.close());
  const completed = { first: 0, second: 0 };

  for (const rig of [first, second]) {
    const queue = rig.redis.tie(new bullmq.Queue('shared', { connection: rig.connection, telemetry: rig.bull.telemetry }));
    rig.bull.observe(queue);
    cleanups.push(() => queue.close());
  }
  const producer = first.redis.tie(new bullmq.Queue('shared', { connection: first.connection, telemetry: first.bull.telemetry }));
  cleanups.push(() => producer.close());

  // Each instance's worker processes some jobs, then the queue is left with a backlog of 4.
  for (const [rig, name, count] of [
    [first, 'first', 3],
    [second, 'second', 2],
  ] as const) {
    const worker = rig.redis.tie(
      new bullmq.Worker(
        'shared',
        rig.bull.processor(() => {
          completed[name] += 1;
          return 1;
        }),
        { connection: rig.connection, telemetry: rig.bull.telemetry },
      ),
    );
    const done = new Promise<void>((resolve) => worker.on('completed', () => completed[name] === count && resolve()));
    for (let i = 0; i < count; i += 1) {
      await rig.bull.submit(producer, { id: `${name}-${i}`, activityCount: 0 }, 'batch', { batchId: `${name}-${i}` });
    }
    await done;
    await worker.close();
  }
  for (let i = 0; i < 4; i += 1) await producer.add('batch', { batchId: `waiting-${i}` });

  const prometheus: PrometheusServer = await startPrometheus({ targets: [await serve(first), await serve(second)] });
  cleanups.push(() => prometheus.stop());
  await prometheus.waitForTargetsUp();
  expect(await prometheus.waitForValue('max by (queue) (bullmq_queue_jobs{state="waiting"})', 4)).toBe(4);
  expect(await prometheus.waitForValue('max by (queue) (bullmq_queue_jobs{state="completed"})', 5)).toBe(5);
  expect(await prometheus.waitForValue('sum(batch_completed_total)', 5)).toBe(5);
  expect(await prometheus.waitForValue('sum(batch_submitted_total)', 5)).toBe(5);
  // What `sum` would say about the gauges: one copy per instance.
  expect(await prometheus.waitForValue('sum by (queue) (bullmq_queue_jobs{state="waiting"})', 8)).toBe(8);
  const perInstance = await prometheus.query('bullmq_queue_jobs{state="waiting"}');
  expect(perInstance.map((s) => s.value)).toEqual([4, 4]);
});
