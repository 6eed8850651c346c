// The PostgreSQL behind `startPostgres` (services.ts): initdb once in a temporary directory, then
// the server on a free port, started again on another port if that one was taken before the server
// bound it. PostgreSQL refuses to run as root, so when we are root it runs as the `postgres` OS user
// (spawned with that uid/gid, the equivalent of `runuser -u postgres --`) with its data directory
// chowned to that user. Internal: tests of testkit itself pass `internals`; users call startPostgres.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { createPgTies } from './clients.ts';
import { startOnFreePort } from './port-retry.ts';
import { createHandle, type ServiceHandle, type ServiceInternals, type StartOptions } from './service-handle.ts';

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

const READY = /database system is ready to accept connections/;
/** `LOG: could not bind IPv4 address "127.0.0.1": Address already in use`, then FATAL and exit 1. */
const IN_USE = /could not bind .*Address already in use/;

/** startPostgres with testkit's own test hooks: the port picker and extra server arguments. */
export async function launchPostgres(options: StartOptions, internals: ServiceInternals = {}): Promise<PostgresHandle> {
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
  const start = async (port: number): Promise<PostgresHandle> => {
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const ties = createPgTies(url);
    const handle = createHandle({
      name: 'postgres',
      command: join(bin, 'postgres'),
      args: [...serverArgs(dataDir, dir, port), ...(internals.serverArgs ?? [])],
      dir,
      owner,
      ready: READY,
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
  };
  try {
    return await startOnFreePort({ name: 'postgres', inUse: IN_USE, start, pickPort: internals.pickPort });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function serverArgs(dataDir: string, socketDir: string, port: number): string[] {
  return [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    socketDir,
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
