import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresHandle } from '@ogf/testkit/services';
import { getJson, submitBatch, waitFor, waitForBatch } from './helpers/api.ts';
import { expectedKg, knownActivities } from './helpers/expected.ts';
import { startServerProcess, tempDataDir } from './helpers/server-process.ts';

type Store = 'embedded' | 'postgres';

const ACTIVITIES = 60;

describe.each<Store>(['embedded', 'postgres'])('a crash on the %s store', (store) => {
  const data = tempDataDir();
  let postgres: PostgresHandle | undefined;

  afterAll(async () => {
    await postgres?.stop();
    data.remove();
  });

  it('kill -9 during a batch, then a restart: the batch completes and each activity is stored exactly once', async () => {
    // 100 ms an activity: once 10 are done, 5 s of work remain, so the poll that sees the batch
    // midway and the kill that follows land before it completes, however slow the poll.
    const env: Record<string, string> = { DATA_DIR: data.dir, WORKERS: '2', ACTIVITY_DELAY_MS: '100' };
    if (store === 'postgres') {
      postgres = await startPostgres();
      env.DATABASE_URL = postgres.url;
    }
    const activities = knownActivities(ACTIVITIES);
    const first = await startServerProcess(env);
    const submitted = await submitBatch(first.url, { org_id: 'acme', activities });
    expect(submitted.status).toBe(202);
    const batchId = submitted.json.batch_id;

    const midway = await waitFor(async () => {
      const { json } = await getJson(`${first.url}/api/v1/batches/${batchId}`);
      return json.counts.processed >= 10 ? json : undefined;
    }, 'the batch to be partly processed');
    expect(midway.status).toBe('processing');
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await startServerProcess(env);
    try {
      const done = await waitForBatch(second.url, batchId, 120_000);
      expect(done.status).toBe('completed');
      expect(done.counts).toEqual({ activities: ACTIVITIES, processed: ACTIVITIES, succeeded: ACTIVITIES, failed: 0 });
      const expected = activities.reduce((sum, activity) => sum + expectedKg(activity), 0);
      expect(done.total_emissions_kg).toBeCloseTo(expected, 3);
      const path = done.transitions.map((t) => `${String(t.from)}->${t.to}`);
      expect(path).toEqual([
        'null->pending',
        'pending->queued',
        'queued->processing',
        'processing->queued',
        'queued->processing',
        'processing->completed',
      ]);
      expect(done.transitions[3]?.reason).toBe('resumed after restart');
      expect(second.output()).toContain('unfinished batch requeued');
    } finally {
      expect(await second.stop()).toBe(0);
    }

    // Read the store directly once no server holds it.
    const sql = `SELECT count(*)::int AS results, count(DISTINCT activity_id)::int AS distinct_ids,
                        sum(emissions_kg) AS total FROM activity_results WHERE batch_id = $1`;
    let row: { results: number; distinct_ids: number; total: number };
    if (store === 'postgres') {
      row = (await postgres!.pool().query(sql, [batchId])).rows[0];
    } else {
      const db = await PGlite.create(data.dir);
      row = (await db.query<typeof row>(sql, [batchId])).rows[0]!;
      await db.close();
    }
    expect(row.results).toBe(ACTIVITIES);
    expect(row.distinct_ids).toBe(ACTIVITIES);
    expect(Number(row.total)).toBeCloseTo(
      activities.reduce((sum, activity) => sum + expectedKg(activity), 0),
      3,
    );
  });
});
