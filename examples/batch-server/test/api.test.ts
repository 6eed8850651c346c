import { request } from 'node:http';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresHandle } from '@ogf/testkit/services';
import { getJson, submitBatch, waitForBatch, type ApiJson } from './helpers/api.ts';
import { expectedKg, knownActivities } from './helpers/expected.ts';
import { startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

type Store = 'embedded' | 'postgres';

async function postRaw(url: string, body: string | Blob, headers: Record<string, string>): Promise<{ status: number; json: ApiJson }> {
  const response = await fetch(`${url}/api/v1/batches`, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as ApiJson };
}

/** Sends an oversized body with node:http, which reports the answer even if the server stops reading. */
function postOversized(url: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/v1/batches`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': bytes } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (error) => setTimeout(() => reject(error), 1_000));
    req.end(Buffer.alloc(bytes, 0x20));
  });
}

describe.each<Store>(['embedded', 'postgres'])('the batch API on the %s store', (store) => {
  let server: ServerProcess;
  let postgres: PostgresHandle | undefined;
  let pool: pg.Pool | undefined;
  const data = tempDataDir();

  beforeAll(async () => {
    const env: Record<string, string> = { WORKERS: '2', DATA_DIR: data.dir };
    if (store === 'postgres') {
      postgres = await startPostgres();
      pool = postgres.pool();
      env.DATABASE_URL = postgres.url;
    }
    server = await startServerProcess(env);
  });

  afterAll(async () => {
    await server?.stop();
    await postgres?.stop(); // ends the pool first, and waits until its connections are closed
    data.remove();
  });

  /** Everything the store holds, counted through the API and, for PostgreSQL, in the tables. */
  async function storeCounts(): Promise<Record<string, number>> {
    const { json } = await getJson(`${server.url}/api/v1/batches?limit=1`);
    const counts: Record<string, number> = { listed: json.total };
    if (pool) {
      for (const table of ['batches', 'activities', 'activity_results', 'batch_transitions']) {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
        counts[table] = rows[0].n;
      }
    }
    return counts;
  }

  it('computes every activity from the factor table and fails only the activities it cannot price', async () => {
    const activities = [
      ...knownActivities(12),
      { id: 'bad-type', type: 'unobtainium', quantity: 3, unit: 'kg' },
      { id: 'bad-unit', type: 'diesel', quantity: 3, unit: 'kWh' },
      { id: 'bad-region', type: 'electricity', quantity: 3, unit: 'kWh', region: 'ZZ' },
    ];
    const submitted = await submitBatch(server.url, { org_id: 'acme', workspace_id: 'plant-7', activities });
    expect(submitted.status).toBe(202);
    expect(submitted.json).toEqual({ batch_id: expect.any(String), status: 'queued' });
    expect(submitted.headers.get('location')).toBe(`/api/v1/batches/${submitted.json.batch_id}`);

    const batch = await waitForBatch(server.url, submitted.json.batch_id);
    const expected = knownActivities(12).reduce((sum, activity) => sum + expectedKg(activity), 0);
    expect(batch.status).toBe('completed');
    expect(batch.counts).toEqual({ activities: 15, processed: 15, succeeded: 12, failed: 3 });
    expect(batch.total_emissions_kg).toBeCloseTo(expected, 3);
    expect(batch.errors.map((e) => [e.activity_id, e.code])).toEqual([
      ['bad-type', 'unknown_type'],
      ['bad-unit', 'unknown_unit'],
      ['bad-region', 'unknown_region'],
    ]);
    expect(batch.transitions.map((t) => `${String(t.from)}->${t.to}`)).toEqual([
      'null->pending',
      'pending->queued',
      'queued->processing',
      'processing->completed',
    ]);
    expect(batch.timestamps.finished_at).not.toBeNull();
  });

  it('fails a batch whose every activity fails, and lists batches with filters', async () => {
    const submitted = await submitBatch(server.url, { org_id: 'globex', activities: [{ id: 'x', type: 'coal', quantity: 1, unit: 't' }] });
    const batch = await waitForBatch(server.url, submitted.json.batch_id);
    expect(batch.status).toBe('failed');
    expect(batch.error).toBe('every activity failed');

    const failed = await getJson(`${server.url}/api/v1/batches?org_id=globex&status=failed`);
    expect(failed.status).toBe(200);
    expect(failed.json.batches.map((b) => b.batch_id)).toEqual([submitted.json.batch_id]);
    const none = await getJson(`${server.url}/api/v1/batches?org_id=globex&status=completed`);
    expect(none.json).toMatchObject({ batches: [], total: 0 });
  });

  it('never runs two batches of one organisation at once', async () => {
    const first = await submitBatch(server.url, { org_id: 'hooli', activities: knownActivities(30, 'x') });
    const second = await submitBatch(server.url, { org_id: 'hooli', activities: knownActivities(30, 'y') });
    const [a, b] = [await waitForBatch(server.url, first.json.batch_id), await waitForBatch(server.url, second.json.batch_id)];
    const span = (batch: ApiJson): [number, number] => [
      Date.parse(batch.transitions.find((t) => t.to === 'processing')!.at),
      Date.parse(batch.transitions.find((t) => t.to === 'completed')!.at),
    ];
    const [[aStart, aEnd], [bStart, bEnd]] = [span(a), span(b)];
    expect(aEnd <= bStart || bEnd <= aStart).toBe(true);
  });

  it('answers every bad input with its status and changes nothing in the store', async () => {
    const before = await storeCounts();
    const valid = { org_id: 'acme', activities: knownActivities(2) };
    const json = { 'content-type': 'application/json' };

    expect((await postRaw(server.url, JSON.stringify(valid), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await postRaw(server.url, new Blob([JSON.stringify(valid)]), {})).status).toBe(415);
    const malformed = await postRaw(server.url, '{"org_id": "acme", ', json);
    expect(malformed).toMatchObject({ status: 400, json: { error: { code: 'malformed_json' } } });

    expect(await postOversized(server.url, 1024 * 1024 + 1)).toBe(413);

    const schema = await postRaw(
      server.url,
      JSON.stringify({
        workspace_id: 'bad id with spaces',
        activities: [
          { id: 'a', type: 'diesel', quantity: -4, unit: 'L' },
          { id: 'a', type: 'diesel', quantity: '4', unit: 'L' },
          { id: 'b', type: '', quantity: 1 },
        ],
      }),
      json,
    );
    expect(schema.status).toBe(400);
    expect(schema.json.error.code).toBe('invalid_request');
    expect(schema.json.error.fields.map((f) => f.path).sort()).toEqual(
      ['activities[0].quantity', 'activities[1].quantity', 'activities[2].type', 'activities[2].unit', 'org_id', 'workspace_id'].sort(),
    );
    expect((await postRaw(server.url, JSON.stringify({ org_id: 'acme', activities: [] }), json)).json.error.fields).toEqual([
      { path: 'activities', message: 'must hold at least one activity' },
    ]);
    const duplicate = await postRaw(
      server.url,
      JSON.stringify({ org_id: 'acme', activities: [valid.activities[0], valid.activities[0]] }),
      json,
    );
    expect(duplicate.json.error.fields).toEqual([{ path: 'activities[1].id', message: 'duplicate activity id "a1"' }]);
    expect((await postRaw(server.url, '[1, 2]', json)).status).toBe(400);

    // PostgreSQL text cannot hold U+0000: a 400 naming the field, not a 500 from the insert.
    const nul = await postRaw(
      server.url,
      JSON.stringify({ org_id: 'a', activities: [{ id: 'a\u0000', type: 'diesel', quantity: 1, unit: 'L', region: 'U\u0000' }] }),
      json,
    );
    expect(nul.status).toBe(400);
    expect(nul.json.error.fields.map((f) => f.path)).toEqual(['activities[0].id', 'activities[0].region']);
    for (const method of ['GET', 'DELETE']) {
      for (const id of ['%00', 'a%00b', '..%2F..%2Fetc', "'%20OR%201=1--"]) {
        const response = await fetch(`${server.url}/api/v1/batches/${id}`, { method });
        expect(response.status, `${method} ${id}`).toBe(404);
      }
    }

    // Quantities are bounded per unit (1e9 kWh, L or passenger-km once converted).
    for (const [quantity, unit, bound] of [
      [1e300, 'kWh', '1000000000 kWh'],
      [1e308, 'GWh', '1000 GWh'],
      [3e8, 'gal', '264172052.358 gal'],
    ] as const) {
      const huge = await postRaw(
        server.url,
        JSON.stringify({
          org_id: 'a',
          activities: [{ id: 'a', type: unit === 'gal' ? 'diesel' : 'electricity', region: 'US', quantity, unit }],
        }),
        json,
      );
      expect(huge.status, `${quantity} ${unit}`).toBe(400);
      expect(huge.json.error.fields).toEqual([
        { path: 'activities[0].quantity', message: expect.stringContaining(`must be at most ${bound}`) },
      ]);
    }

    expect((await getJson(`${server.url}/api/v1/batches/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    const unknownCancel = await fetch(`${server.url}/api/v1/batches/nope`, { method: 'DELETE' });
    expect(unknownCancel.status).toBe(404);
    const badFilter = await getJson(`${server.url}/api/v1/batches?status=done&limit=1000`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.json.error.fields.map((f) => f.path)).toEqual(['status', 'limit']);

    expect(await storeCounts()).toEqual(before);
  });

  it('accepts a quantity at its bound and sums it exactly', async () => {
    const submitted = await submitBatch(server.url, {
      org_id: 'bounded',
      activities: [{ id: 'max', type: 'electricity', region: 'US', quantity: 1000, unit: 'GWh' }],
    });
    expect(submitted.status).toBe(202);
    const batch = await waitForBatch(server.url, submitted.json.batch_id);
    expect(batch.status).toBe('completed');
    expect(batch.total_emissions_kg).toBeCloseTo(
      expectedKg({ id: 'max', type: 'electricity', region: 'US', quantity: 1e6, unit: 'MWh' }),
      0,
    );
  });

  it("marks every API answer nosniff and no-store, and answers HEAD /metrics with the GET body's Content-Length", async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/batches'],
      ['GET', '/api/v1/batches/nope'],
      ['POST', '/api/v1/batches'],
      ['GET', '/nowhere'],
      ['GET', '/metrics'],
    ]) {
      const response = await fetch(`${server.url}${path}`, { method });
      expect(response.headers.get('x-content-type-options'), `${method} ${path}`).toBe('nosniff');
      expect(response.headers.get('cache-control'), `${method} ${path}`).toBe('no-store');
      await response.arrayBuffer();
    }
    // Nothing runs between the three requests, so the exposition is the same each time.
    const before = await (await fetch(`${server.url}/metrics`)).text();
    const head = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
    const after = await (await fetch(`${server.url}/metrics`)).text();
    expect(after).toBe(before);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(before)));
  });

  it('refuses to cancel a finished batch with 409 and changes nothing', async () => {
    const submitted = await submitBatch(server.url, { org_id: 'initech', activities: knownActivities(1) });
    const done = await waitForBatch(server.url, submitted.json.batch_id);
    const before = await storeCounts();
    const response = await fetch(`${server.url}/api/v1/batches/${done.batch_id}`, { method: 'DELETE' });
    expect(response.status).toBe(409);
    expect((await getJson(`${server.url}/api/v1/batches/${done.batch_id}`)).json).toEqual(done);
    expect(await storeCounts()).toEqual(before);
  });
});
