// The Redis behind `startRedis` (services.ts): persistence off, in a temporary directory, on a free
// port, started again on another port if that one was taken before Redis bound it (Redis cannot
// take port 0: `--port 0` turns TCP off). Internal: tests of testkit itself pass `internals`; users
// call startRedis.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisTies, type ClosableClient } from './clients.ts';
import { startOnFreePort } from './port-retry.ts';
import { createHandle, type ServiceHandle, type ServiceInternals, type StartOptions } from './service-handle.ts';

export interface RedisHandle extends ServiceHandle {
  /** Ties a node-redis or ioredis client to this server: stop() closes it, its errors are kept. */
  tie: <T extends ClosableClient>(client: T) => T;
  /** Connection errors the tied clients reported. */
  connectionErrors: () => Error[];
}

const READY = /Ready to accept connections/;
/** `Could not create server TCP listening socket 127.0.0.1:PORT: bind: Address already in use`, then exit 1. */
const IN_USE = /listening socket .*: bind: Address already in use/;

/** startRedis with testkit's own test hooks: the port picker and extra server arguments. */
export async function launchRedis(options: StartOptions, internals: ServiceInternals = {}): Promise<RedisHandle> {
  const command = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'ogf-redis-'));
  const start = async (port: number): Promise<RedisHandle> => {
    const ties = createRedisTies();
    const handle = createHandle({
      name: 'redis',
      command,
      args: [...serverArgs(dir, port), ...(internals.serverArgs ?? [])],
      dir,
      owner: undefined,
      ready: READY,
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
  };
  try {
    return await startOnFreePort({ name: 'redis', inUse: IN_USE, start, pickPort: internals.pickPort });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function serverArgs(dir: string, port: number): string[] {
  return [
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
}

function findRedisServer(): string {
  const candidates = [process.env.OGF_REDIS_SERVER, ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'redis-server'))];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  throw new Error(
    'redis-server not found (looked in $OGF_REDIS_SERVER and PATH): install the Debian package `redis-server` ' +
      '(apt-get install redis-server) or run scripts/install-test-deps.sh',
  );
}
