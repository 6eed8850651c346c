import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresHandle } from '@ogf/testkit/services';
import { createAdvisoryLocks } from '../src/processing/advisory-locks.ts';
import { openPostgres, type PostgresDatabase } from '../src/store/postgres.ts';

// The per-organisation lock of the distributed mode, on a real PostgreSQL: two databases stand
// for two worker processes (each its own pool and sessions).
describe('the PostgreSQL advisory org lock', () => {
  let postgres: PostgresHandle;
  let first: PostgresDatabase;
  let second: PostgresDatabase;

  beforeAll(async () => {
    postgres = await startPostgres();
    first = openPostgres(postgres.url);
    second = openPostgres(postgres.url);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await postgres?.stop();
  });

  it('lets one process hold an org at a time, times the other out, and hands over on release', async () => {
    const a = createAdvisoryLocks(first);
    const b = createAdvisoryLocks(second);
    const held = await a.acquire('acme', 1_000);
    expect(held).not.toBe(false);
    expect(await b.acquire('acme', 100)).toBe(false);
    const other = await b.acquire('globex', 100);
    expect(other).not.toBe(false);
    const waiting = b.acquire('acme', 10_000);
    await (held as () => Promise<void>)();
    const handedOver = await waiting;
    expect(handedOver).not.toBe(false);
    await (handedOver as () => Promise<void>)();
    await (other as () => Promise<void>)();
    // The timed-out session went back to the pool without its lock timeout.
    const { rows } = await second.query<{ lock_timeout: string }>('SHOW lock_timeout');
    expect(rows[0]?.lock_timeout).toBe('0');
  });

  it('stops waiting when the run is aborted', async () => {
    const held = await createAdvisoryLocks(first).acquire('acme', 1_000);
    const controller = new AbortController();
    const waiting = createAdvisoryLocks(second).acquire('acme', 60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    await (held as () => Promise<void>)();
  });

  it('frees the lock of a process that died: its session ends with its connection', async () => {
    const doomed = openPostgres(postgres.url);
    const lost = await createAdvisoryLocks(doomed).acquire('acme', 1_000);
    expect(lost).not.toBe(false);
    expect(await createAdvisoryLocks(second).acquire('acme', 100)).toBe(false);
    // What kill -9 does to the connection: the server ends the backend.
    await first.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()`);
    const taken = await createAdvisoryLocks(second).acquire('acme', 5_000);
    expect(taken).not.toBe(false);
    await (taken as () => Promise<void>)();
    // Releasing the lost lock fails quietly and closes the dead connection.
    await (lost as () => Promise<void>)();
    await doomed.close();
  });
});
