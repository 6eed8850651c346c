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
// Binaries: PostgreSQL's from $OGF_PG_BIN or the newest /usr/lib/postgresql/<version>/bin (Debian
// package `postgresql`); Redis's from $OGF_REDIS_SERVER or `redis-server` on PATH (Debian package
// `redis-server`). A missing binary fails the start with an error naming the package: a test that
// silently skips cannot fail. PostgreSQL refuses to run as root, so when we are root it runs as the
// `postgres` OS user (spawned with that uid/gid, the equivalent of `runuser -u postgres --`) with
// its data directory chowned to that user.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { createPgTies, createRedisTies, type ClosableClient } from './clients.ts';
import { createHandle, type ServiceHandle } from './service-handle.ts';

export type { ServiceHandle } from './service-handle.ts';
export type { ClosableClient } from './clients.ts';

const execFileAsync = promisify(execFile);

export interface PostgresHandle extends ServiceHandle {
  user: string;
  database: string;
  /** A pg.Pool on this server, tied to it: closed by stop(), its connection errors kept. */
  pool: (config?: Omit<pg.PoolConfig, 'connectionString'>) => pg.Pool;
  /** A pg.Client (not yet connected) on this server, tied to it like pool()'s. */
  client: (config?: Omit<pg.ClientConfig, 'connectionString'>) => pg.Client;
  /** Connection errors the tied clients reported, e.g. 57P01 while the server was paused. */
  connectionErrors: () => Error[];
}

export interface RedisHandle extends ServiceHandle {
  /** Ties a node-redis or ioredis client to this server: stop() closes it, its errors are kept. */
  tie: <T extends ClosableClient>(client: T) => T;
  /** Connection errors the tied clients reported. */
  connectionErrors: () => Error[];
}

export interface StartOptions {
  /** How long to wait for the server to accept connections (default 30 s: the machine may be busy). */
  startTimeoutMs?: number;
}

const READY_PG = /database system is ready to accept connections/;
const READY_REDIS = /Ready to accept connections/;

/** Starts a private PostgreSQL server on 127.0.0.1 with trust authentication. */
export async function startPostgres(options: StartOptions = {}): Promise<PostgresHandle> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'ogf-pg-'));
  const dataDir = join(dir, 'data');
  const owner = serverUser();
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    await execFileAsync(
      join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C'],
      { ...(owner ?? {}), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' } },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed in ${dataDir}: ${(error as Error).message}`);
  }
  const port = await freePort();
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dir,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=50',
    '-c',
    'shared_buffers=16MB',
    '-c',
    'logging_collector=off',
  ];
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ties = createPgTies(url);
  const handle = createHandle({
    name: 'postgres',
    command: join(bin, 'postgres'),
    args,
    dir,
    owner,
    ready: READY_PG,
    // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected (57P01), nothing is left
    // behind. SIGTERM is its "smart" shutdown: it waits for the clients to disconnect first.
    abruptSignal: 'SIGINT',
    politeSignal: 'SIGTERM',
    politeGraceMs: 5_000,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    url,
    port,
    closeClients: () => ties.closeAll(),
  });
  await handle.resume();
  return Object.assign(handle, {
    user: 'postgres',
    database: 'postgres',
    pool: ties.pool,
    client: ties.client,
    connectionErrors: ties.errors,
  });
}

/** Starts a private Redis server on 127.0.0.1 with persistence off. */
export async function startRedis(options: StartOptions = {}): Promise<RedisHandle> {
  const command = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'ogf-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--protected-mode',
    'no',
    '--logfile',
    '',
  ];
  const ties = createRedisTies();
  const handle = createHandle({
    name: 'redis',
    command,
    args,
    dir,
    owner: undefined,
    ready: READY_REDIS,
    // Redis closes every client connection on SIGTERM, whether or not they are done.
    abruptSignal: 'SIGTERM',
    politeSignal: 'SIGTERM',
    politeGraceMs: 5_000,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    url: `redis://127.0.0.1:${port}`,
    port,
    closeClients: () => ties.closeAll(),
  });
  await handle.resume();
  return Object.assign(handle, { tie: ties.tie, connectionErrors: ties.errors });
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function findPostgresBin(): string {
  const fromEnv = process.env.OGF_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'postgres'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest) return join(root, newest, 'bin');
  throw new Error(
    `PostgreSQL server binaries not found (looked in $OGF_PG_BIN and ${root}/<version>/bin): ` +
      'install the Debian package `postgresql` (apt-get install postgresql) or run scripts/install-test-deps.sh',
  );
}

function findRedisServer(): string {
  const candidates = [process.env.OGF_REDIS_SERVER, ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'redis-server'))];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  throw new Error(
    'redis-server not found (looked in $OGF_REDIS_SERVER and PATH): install the Debian package `redis-server` ' +
      '(apt-get install redis-server) or run scripts/install-test-deps.sh',
  );
}

let postgresUser: { uid: number; gid: number } | undefined;

/** The uid/gid PostgreSQL runs as: `postgres` when we are root, ourselves otherwise. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  if (postgresUser) return postgresUser;
  const passwd = execFileSyncText('getent', ['passwd', 'postgres']);
  const fields = passwd.split(':');
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (!passwd || !Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error('running as root but there is no `postgres` OS user (it comes with the Debian package `postgresql`)');
  }
  postgresUser = { uid, gid };
  return postgresUser;
}

function execFileSyncText(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}
