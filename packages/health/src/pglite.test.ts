// The database check on PGlite (PostgreSQL compiled to WebAssembly, in process): its `query`
// fits the same structural interface as node-postgres.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthChecker, databaseCheck } from './index.js';

let db: PGlite;

// Loading the WebAssembly module takes seconds on a busy machine: do it outside the check's timeout.
beforeAll(async () => {
  db = await PGlite.create();
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('databaseCheck on PGlite', () => {
  it('runs SELECT 1 in process and reports its latency', async () => {
    const health = createHealthChecker({ timeoutMs: 10_000 });
    health.register('database', databaseCheck(db));
    const report = await health.ready();
    expect(report.checks.database?.status).toBe('healthy');
    expect(report.checks.database?.details).toHaveProperty('latency_ms');
  });

  it('reports a failing statement with its redacted reason', async () => {
    const health = createHealthChecker({ timeoutMs: 10_000 });
    health.register('database', databaseCheck(db, { sql: 'SELECT 1/0' }));
    expect((await health.ready()).checks.database).toMatchObject({ status: 'unhealthy', message: 'division by zero' });
  });
});
