import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, submitBatch, waitFor, waitForBatch } from './helpers/api.ts';
import { knownActivities } from './helpers/expected.ts';
import { startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

describe('a full queue and cancellation', () => {
  let server: ServerProcess;
  const data = tempDataDir();

  beforeAll(async () => {
    server = await startServerProcess({ DATA_DIR: data.dir, WORKERS: '1', QUEUE_CAPACITY: '2', ACTIVITY_DELAY_MS: '100' });
  });

  afterAll(async () => {
    await server?.stop();
    data.remove();
  });

  it('answers 429 with Retry-After when the queue is full, cancels queued and running batches', async () => {
    // One worker: the first batch runs (about 8 s of simulated work), two more fill the queue.
    const running = await submitBatch(server.url, { org_id: 'acme', activities: knownActivities(80) });
    await waitFor(
      async () =>
        (await getJson(`${server.url}/api/v1/batches/${running.json.batch_id}`)).json.status === 'processing' ? true : undefined,
      'the first batch to start',
    );
    const queued = await submitBatch(server.url, { org_id: 'globex', activities: knownActivities(2) });
    const alsoQueued = await submitBatch(server.url, { org_id: 'initech', activities: knownActivities(2) });
    expect([queued.status, alsoQueued.status]).toEqual([202, 202]);
    const before = (await getJson(`${server.url}/api/v1/batches`)).json.total;

    const refused = await submitBatch(server.url, { org_id: 'umbrella', activities: knownActivities(2) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.json).toMatchObject({ error: { code: 'queue_full' } });
    expect((await getJson(`${server.url}/api/v1/batches`)).json.total).toBe(before);

    const cancelQueued = await fetch(`${server.url}/api/v1/batches/${alsoQueued.json.batch_id}`, { method: 'DELETE' });
    expect(cancelQueued.status).toBe(200);
    expect(await cancelQueued.json()).toEqual({ batch_id: alsoQueued.json.batch_id, status: 'cancelled' });

    const cancelRunning = await fetch(`${server.url}/api/v1/batches/${running.json.batch_id}`, { method: 'DELETE' });
    expect(cancelRunning.status).toBe(202);
    expect(await cancelRunning.json()).toEqual({ batch_id: running.json.batch_id, status: 'processing', cancel_requested: true });

    const stopped = await waitForBatch(server.url, running.json.batch_id);
    expect(stopped.status).toBe('cancelled');
    expect(stopped.counts.processed).toBeLessThan(80);
    expect(stopped.transitions.at(-1)).toMatchObject({ from: 'processing', to: 'cancelled' });

    const cancelledInQueue = (await getJson(`${server.url}/api/v1/batches/${alsoQueued.json.batch_id}`)).json;
    expect(cancelledInQueue.counts.processed).toBe(0);
    expect(cancelledInQueue.transitions.map((t) => t.to)).toEqual(['pending', 'queued', 'cancelled']);

    expect((await waitForBatch(server.url, queued.json.batch_id)).status).toBe('completed');
  });
});
