// The per-organisation lock across processes: a PostgreSQL session-level advisory lock, one
// connection per holder or waiter. PostgreSQL queues the waiters fairly, `lock_timeout` ends a
// wait that lasts too long (SQLSTATE 55P03), and a process that dies (kill -9) loses its
// connection and with it every lock it held: nothing to clean up, no lease to expire.
import type { PostgresDatabase } from '../store/postgres.ts';

/** A release function once the lock is held, `false` when the wait timed out or was aborted. */
export type AcquireLock = (key: string, timeoutMs: number, signal?: AbortSignal) => Promise<(() => Promise<void>) | false>;

/** PostgreSQL's "canceling statement due to lock timeout". */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Advisory locks keyed by (namespace, key), both hashed to int4 with `hashtext`: two keys that
 * collide only serialise each other, they never run together.
 */
export function createAdvisoryLocks(db: PostgresDatabase, namespace = 'ogf.batch-server.org'): { acquire: AcquireLock } {
  return {
    async acquire(key, timeoutMs, signal) {
      const session = await db.session();
      // A connection lost while the lock is held (server restart) must not crash the process: the
      // next query on it fails, and the release closes it.
      const onLost = (): void => {};
      session.on('error', onLost);
      const done = (error?: Error): void => {
        session.off('error', onLost);
        session.release(error);
      };
      if (signal?.aborted) {
        done();
        return false;
      }
      let closed = false;
      // Aborting a wait closes its connection: the pending query fails and nothing stays queued.
      const onAbort = (): void => {
        closed = true;
        done(new Error('lock wait aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await session.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(timeoutMs))}ms`]);
        await session.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [namespace, key]);
      } catch (error) {
        signal?.removeEventListener('abort', onAbort);
        const timedOut = (error as { code?: unknown }).code === LOCK_NOT_AVAILABLE;
        if (!closed && timedOut) {
          // The session goes back to the pool: without the lock timeout it was given.
          await session.query('RESET lock_timeout').then(
            () => done(),
            (reset: unknown) => done(reset as Error),
          );
        } else if (!closed) done(error as Error);
        if (timedOut || closed) return false;
        throw error;
      }
      signal?.removeEventListener('abort', onAbort);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        try {
          await session.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [namespace, key]);
          await session.query('RESET lock_timeout');
          done();
        } catch (error) {
          // A broken connection has lost its locks already; closing it is all that is left.
          done(error as Error);
        }
      };
    },
  };
}
