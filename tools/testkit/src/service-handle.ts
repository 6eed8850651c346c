// One server process (PostgreSQL, Redis) behind the ServiceHandle that tests drive: started,
// paused, frozen and stopped for good, with the clients a test tied to it closed before it goes.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { markedEnv, signalTree, spawnTracked, stopProcessTree } from './processes.ts';

export interface ServiceHandle {
  /** Connection URL, e.g. `postgres://postgres@127.0.0.1:41234/postgres` or `redis://127.0.0.1:41235`. */
  url: string;
  host: string;
  port: number;
  /** Whether the server process is up (false after pause() or stop()). */
  readonly running: boolean;
  /** Stops the server process at once (clients see their connections closed); data and port are kept. */
  pause(): Promise<void>;
  /** Starts the server again on the same port and waits until it accepts connections. */
  resume(): Promise<void>;
  /** pause() then resume(). */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open and new ones are accepted by the kernel, but nothing answers. */
  freeze(): Promise<void>;
  /** SIGCONT after freeze(). */
  thaw(): Promise<void>;
  /**
   * Stops the server for good and removes its temporary directory. Clients tied to the handle are
   * closed first, and the server is then asked to wait for the others to leave before it goes, so
   * no client of the test process learns of the shutdown as an error. Safe to call twice.
   */
  stop(): Promise<void>;
  /** Everything the server printed so far. */
  logs(): string;
}

export interface StartOptions {
  /** How long to wait for the server to accept connections (default 30 s: the machine may be busy). */
  startTimeoutMs?: number;
}

/** Hooks for testkit's own tests, kept off the public start functions. */
export interface ServiceInternals {
  /** Picks each start attempt's port (default `freePort`). */
  pickPort?: () => Promise<number>;
  /** Appended to the server's command line, e.g. a bad setting to see a start fail. */
  serverArgs?: string[];
}

export interface HandleSpec {
  name: string;
  command: string;
  args: string[];
  dir: string;
  owner: { uid: number; gid: number } | undefined;
  ready: RegExp;
  /** Ends the server at once, disconnecting its clients (what pause() does). */
  abruptSignal: NodeJS.Signals;
  /** Ends the server once its clients have gone (what stop() tries first). */
  politeSignal: NodeJS.Signals;
  /** How long stop() lets clients leave before it falls back to `abruptSignal`. */
  politeGraceMs: number;
  startTimeoutMs: number;
  url: string;
  port: number;
  /** Closes the clients the test tied to this server; stop() awaits it first. */
  closeClients: () => Promise<void>;
}

export function createHandle(spec: HandleSpec): ServiceHandle {
  let child: ChildProcess | undefined;
  let output = '';
  let stopped = false;

  const resume = async (): Promise<void> => {
    if (stopped) throw new Error(`${spec.name} was stopped for good; start a new one`);
    if (child) return;
    const started = spawnTracked(spec.command, spec.args, {
      ...(spec.owner ?? {}),
      cwd: spec.dir,
      env: markedEnv({ PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' }),
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
      await stopProcessTree(started, { signal: 'SIGKILL' });
      child = undefined;
      throw error;
    }
  };

  const stopWith = async (signal: NodeJS.Signals, graceMs: number): Promise<void> => {
    const current = child;
    if (!current) return;
    if (current.pid !== undefined) signalTree(current.pid, 'SIGCONT');
    await stopProcessTree(current, { signal, graceMs });
    child = undefined;
  };

  const pause = (): Promise<void> => stopWith(spec.abruptSignal, 10_000);

  const signalRunning = (signal: NodeJS.Signals) => (): Promise<void> => {
    const pid = child?.pid;
    if (pid === undefined) return Promise.reject(new Error(`${spec.name} is not running`));
    signalTree(pid, signal);
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
    freeze: signalRunning('SIGSTOP'),
    thaw: signalRunning('SIGCONT'),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await spec.closeClients();
      const current = child;
      if (current?.pid !== undefined) {
        signalTree(current.pid, 'SIGCONT');
        // The polite stop first; if a client outstays the grace period, the abrupt one.
        current.kill(spec.politeSignal);
        const graceful = await exitWithin(current, spec.politeGraceMs);
        if (!graceful) await stopWith(spec.abruptSignal, 10_000);
        else await stopProcessTree(current);
        child = undefined;
      }
      rmSync(spec.dir, { recursive: true, force: true });
    },
    logs: () => output,
  };
}

/** Whether the process exits within `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
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
