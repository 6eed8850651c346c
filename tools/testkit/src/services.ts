// Throwaway PostgreSQL and Redis servers for tests: each call starts a private instance on
// 127.0.0.1 on a free port, in a temporary directory, and `stop()` removes every trace of it.
// Nothing here depends on a service someone started by hand.
//
//   const pg = await startPostgres();          // { url, host, port, user, database, ... }
//   const pool = new pg.Pool({ connectionString: pg.url });
//   await pg.pause();                           // server down (fast shutdown), data kept, port kept
//   await pg.resume();                          // up again on the SAME port; clients can reconnect
//   await pg.restart();                         // pause() + resume()
//   await pg.freeze(); await pg.thaw();         // SIGSTOP / SIGCONT to the server and its children:
//                                               // the port accepts, nothing answers (a hung server)
//   await pg.stop();                            // for good: tied clients closed, then the server;
//                                               // temp dir removed (idempotent)
//
//   const redis = await startRedis();          // { url: 'redis://127.0.0.1:PORT', host, port, ... }
//   const client = redis.tie(createClient({ url: redis.url }));
//
// Both return a `ServiceHandle`; PostgreSQL adds `user` and `database` (trust auth on 127.0.0.1,
// user `postgres`, database `postgres`). `running` says whether the server is up. `logs()` returns
// what the server printed (include it in failure messages).
//
// Clients: make them through the handle (`pg.pool()`, `pg.client()`) or tie them to it
// (`redis.tie(client)`). A server that goes away under a connected client makes the client emit
// 'error'; unheard, that error is uncaught and fails the run after every test passed. Tied clients
// keep those errors for the test (`connectionErrors()`), and stop() closes them before the server.
//
// Ports: neither server can bind port 0 and report it, so each starts on a port that was free a
// moment ago; if another process took it before the server bound it ("Address already in use"),
// the start is tried again on a new port, at most 3 times (port-retry.ts). Any other failure fails
// the start at once with what the server printed. pause()/resume() keep the port of the first start.
//
// Binaries: PostgreSQL's from $OGF_PG_BIN or the newest /usr/lib/postgresql/<version>/bin (Debian
// package `postgresql`); Redis's from $OGF_REDIS_SERVER or `redis-server` on PATH (Debian package
// `redis-server`). A missing binary fails the start with an error naming the package: a test that
// silently skips cannot fail. PostgreSQL refuses to run as root, so when we are root it runs as the
// `postgres` OS user (spawned with that uid/gid, the equivalent of `runuser -u postgres --`) with
// its data directory chowned to that user (postgres-server.ts).
import { launchPostgres, type PostgresHandle } from './postgres-server.ts';
import { launchRedis, type RedisHandle } from './redis-server.ts';
import type { StartOptions } from './service-handle.ts';

export type { ServiceHandle, StartOptions } from './service-handle.ts';
export type { ClosableClient } from './clients.ts';
export type { PostgresHandle } from './postgres-server.ts';
export type { RedisHandle } from './redis-server.ts';

/**
 * Starts a private PostgreSQL server on 127.0.0.1 with trust authentication.
 *
 * @example
 * ```ts
 * const pg = await startPostgres();
 * const { rows } = await pg.pool().query('SELECT 1 AS one');
 * await pg.stop();
 * ```
 */
export function startPostgres(options: StartOptions = {}): Promise<PostgresHandle> {
  return launchPostgres(options);
}

/**
 * Starts a private Redis server on 127.0.0.1 with persistence off.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * const client = redis.tie(createClient({ url: redis.url }));
 * await redis.stop();
 * ```
 */
export function startRedis(options: StartOptions = {}): Promise<RedisHandle> {
  return launchRedis(options);
}
