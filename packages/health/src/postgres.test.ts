// The database check against a real PostgreSQL through node-postgres.
// The fault tests stop (or freeze) the server in the middle and bring it back.
import { startPostgres, type PostgresHandle } from '@ogf/testkit/services';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthChecker, createHeartbeat, databaseCheck } from './index.js';
import { eventually } from '../test/helpers.js';

let server: PostgresHandle;
let pool: pg.Pool;

beforeAll(async () => {
  server = await startPostgres();
  // Tied to the server: idle clients that error while it is paused are kept by the handle (without
  // a listener the error would crash the process), and stop() ends the pool before the server.
  pool = server.pool({ max: 4, connectionTimeoutMillis: 5_000 });
});

afterAll(async () => {
  await server?.stop();
});

function checker() {
  const health = createHealthChecker({ timeoutMs: 1_500, cacheTtlMs: 0 });
  const heartbeat = createHeartbeat({ maxAgeMs: 60_000 });
  health.register('database', databaseCheck(pool));
  health.register('loop', heartbeat.check, { probes: ['liveness'] });
  health.markStarted();
  return health;
}

describe('databaseCheck on PostgreSQL via pg', () => {
  it('is healthy through a Pool, with latency and the pool counters in details', async () => {
    const report = await checker().ready();
    expect(report.status).toBe('healthy');
    const details = report.checks.database?.details as { latency_ms: number; pool: { total: number; idle: number; waiting: number } };
    expect(details.latency_ms).toBeGreaterThan(0);
    expect(details.pool.total).toBeGreaterThanOrEqual(1);
    expect(details.pool.waiting).toBe(0);
  });

  it('is healthy through a single Client, and unhealthy with a redacted reason when the SQL fails', async () => {
    const client = server.client();
    await client.connect();
    try {
      const health = createHealthChecker({ cacheTtlMs: 0 });
      health.register('database', databaseCheck(client));
      health.register('broken', databaseCheck(client, { sql: 'SELECT * FROM missing_table' }), { critical: false });
      const report = await health.report();
      expect(report.checks.database?.status).toBe('healthy');
      expect(report.checks.broken).toMatchObject({ status: 'unhealthy', message: 'relation "missing_table" does not exist' });
      expect(report.status).toBe('degraded');
    } finally {
      await client.end();
    }
  });

  it('flips readiness to unhealthy on the first probe after the server stops, keeps liveness healthy, and recovers', async () => {
    const health = checker();
    expect((await health.ready()).status).toBe('healthy');

    await server.pause();
    const down = await health.ready();
    expect(down.status).toBe('unhealthy');
    expect(['connection_refused', 'connection_reset', 'unavailable']).toContain(down.checks.database?.message);
    expect(JSON.stringify(down)).not.toContain(String(server.port));
    expect((await health.live()).status).toBe('healthy');

    await server.resume();
    const up = await eventually(
      () => health.ready(),
      (r) => r.status === 'healthy',
    );
    expect(up.checks.database?.status).toBe('healthy');
  });

  it('reports timeout within one timeout when the server stops answering, then recovers', async () => {
    const health = checker();
    expect((await health.ready()).status).toBe('healthy');

    await server.freeze();
    try {
      const hung = await health.ready();
      expect(hung.status).toBe('unhealthy');
      expect(hung.checks.database).toMatchObject({ status: 'unhealthy', message: 'timeout', details: { timeout_ms: 1_500 } });
      expect((await health.live()).status).toBe('healthy');
    } finally {
      await server.thaw();
    }
    const up = await eventually(
      () => health.ready(),
      (r) => r.status === 'healthy',
    );
    expect(up.checks.database?.status).toBe('healthy');
  });
});
