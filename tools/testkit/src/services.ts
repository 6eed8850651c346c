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
//   await pg.stop();                            // for good: process gone, temp dir removed (idempotent)
//
//   const redis = await startRedis();          // { url: 'redis://127.0.0.1:PORT', host, port, ... }
//
// Both return a `ServiceHandle`; PostgreSQL adds `user` and `database` (trust auth on 127.0.0.1,
// user `postgres`, database `postgres`). `running` says whether the server is up. `logs()` returns
// what the server printed (include it in failure messages).
//
// Binaries: PostgreSQL's from $OGF_PG_BIN or the newest /usr/lib/postgresql/<version>/bin (Debian
// package `postgresql`); Redis's from $OGF_REDIS_SERVER or `redis-server` on PATH (Debian package
// `redis-server`). A missing binary fails the start with an error naming the package: a test that
// silently skips cannot fail. PostgreSQL refuses to run as root, so when we are root it runs as the
// `postgres` OS user (spawned with that uid/gid, the equivalent of `runuser -u postgres --`) with
// its data directory chowned to that user.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface ServiceHandle {
  /** Connection URL, e.g. `postgres://postgres@127.0.0.1:41234/postgres` or `redis://127.0.0.1:41235`. */
  url: string;
  host: string;
  port: number;
  /** Whether the server process is up (false after pause() or stop()). */
  readonly running: boolean;
  /** Stops the server process (clients see their connections closed); data and port are kept. */
  pause(): Promise<void>;
  /** Starts the server again on the same port and waits until it accepts connections. */
  resume(): Promise<void>;
  /** pause() then resume(). */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open and new ones are accepted by the kernel, but nothing answers. */
  freeze(): Promise<void>;
  /** SIGCONT after freeze(). */
  thaw(): Promise<void>;
  /** Stops the server for good and removes its temporary directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Everything the server printed so far. */
  logs(): string;
}

export interface PostgresHandle extends ServiceHandle {
  user: string;
  database: string;
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
    '-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'max_connections=50', '-c', 'shared_buffers=16MB', '-c', 'logging_collector=off',
  ];
  const handle = createHandle({
    name: 'postgres',
    command: join(bin, 'postgres'),
    args,
    dir,
    owner,
    ready: READY_PG,
    // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, nothing is left behind.
    stopSignal: 'SIGINT',
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
  });
  await handle.resume();
  return Object.assign(handle, { user: 'postgres', database: 'postgres' });
}

/** Starts a private Redis server on 127.0.0.1 with persistence off. */
export async function startRedis(options: StartOptions = {}): Promise<ServiceHandle> {
  const command = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'ogf-redis-'));
  const port = await freePort();
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--daemonize', 'no', '--protected-mode', 'no', '--logfile', '',
  ];
  const handle = createHandle({
    name: 'redis',
    command,
    args,
    dir,
    owner: undefined,
    ready: READY_REDIS,
    stopSignal: 'SIGTERM',
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    url: `redis://127.0.0.1:${port}`,
    port,
  });
  await handle.resume();
  return handle;
}

interface HandleSpec {
  name: string;
  command: string;
  args: string[];
  dir: string;
  owner: { uid: number; gid: number } | undefined;
  ready: RegExp;
  stopSignal: NodeJS.Signals;
  startTimeoutMs: number;
  url: string;
  port: number;
}

function createHandle(spec: HandleSpec): ServiceHandle {
  let child: ChildProcess | undefined;
  let output = '';
  let stopped = false;
  const killOnExit = (): void => {
    // Last resort when the test process exits without stop(): SIGQUIT is an immediate shutdown
    // for PostgreSQL (children included) and a plain exit for Redis.
    try {
      if (child?.pid !== undefined) signalTree(child.pid, 'SIGCONT');
    } catch {
      // already gone
    }
    child?.kill('SIGQUIT');
  };
  process.once('exit', killOnExit);

  const resume = async (): Promise<void> => {
    if (stopped) throw new Error(`${spec.name} was stopped for good; start a new one`);
    if (child) return;
    const started = spawn(spec.command, spec.args, {
      ...(spec.owner ?? {}),
      cwd: spec.dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const mark = output.length;
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.once('exit', () => {
      if (child === started) child = undefined;
    });
    try {
      await waitForOutput(started, () => output.slice(mark), spec.ready, spec.startTimeoutMs, spec.name);
    } catch (error) {
      started.kill('SIGKILL');
      child = undefined;
      throw error;
    }
  };

  const pause = async (): Promise<void> => {
    const current = child;
    if (!current) return;
    if (current.pid !== undefined) signalTree(current.pid, 'SIGCONT');
    await stopProcess(current, spec.stopSignal);
    child = undefined;
  };

  const signalGroup = (name: NodeJS.Signals) => (): Promise<void> => {
    const pid = child?.pid;
    if (pid === undefined) return Promise.reject(new Error(`${spec.name} is not running`));
    signalTree(pid, name);
    return Promise.resolve();
  };

  return {
    url: spec.url,
    host: '127.0.0.1',
    port: spec.port,
    get running() {
      return child !== undefined;
    },
    pause,
    resume,
    restart: async () => {
      await pause();
      await resume();
    },
    freeze: signalGroup('SIGSTOP'),
    thaw: signalGroup('SIGCONT'),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pause();
      process.off('exit', killOnExit);
      rmSync(spec.dir, { recursive: true, force: true });
    },
    logs: () => output,
  };
}

// A process and its descendants (PostgreSQL backends call setsid(), so a process-group signal
// would miss them); Linux /proc only, which is where these tests run.
function signalTree(root: number, name: NodeJS.Signals): void {
  const children = new Map<number, number[]>();
  for (const entry of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process exited while we looked
    }
  }
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      process.kill(pid, name);
    } catch {
      // gone already
    }
    queue.push(...(children.get(pid) ?? []));
  }
}

function waitForOutput(child: ChildProcess, output: () => string, ready: RegExp, timeoutMs: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`${name} did not start within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    const onData = (): void => {
      if (ready.test(output())) done();
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done(new Error(`${name} exited (${code ?? signal}) before accepting connections:\n${output()}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) => done(new Error(`${name} could not be spawned: ${error.message}`)));
  });
}

function stopProcess(child: ChildProcess, stopSignal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(stopSignal);
  });
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
