// Every process a test starts goes through `spawnTracked`: it runs in a process group of its own and
// carries a marker in its environment. So `stopProcessTree` reaches what the process started too (a
// `node_modules/.bin` shell wrapper's real binary, a runtime's helper), and the suite's last check
// (leak-check.ts) can find anything that outlived its test, by the marker alone.
//
//   const child = spawnTracked('bun', ['run', 'app.mjs'], { stdio: ['ignore', 'pipe', 'pipe'] });
//   await stopProcessTree(child);              // SIGTERM to the group, SIGKILL after the grace period
//
// Linux /proc only, which is where these tests run.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The environment variable whose value names one test run; leak-check.ts sets it. */
export const RUN_MARKER = 'OGF_TEST_RUN';

/** The marker value of this run: set by the suite's global setup, or one of our own outside it. */
export function runId(): string {
  const id = process.env[RUN_MARKER] ?? `adhoc-${process.pid}`;
  process.env[RUN_MARKER] = id;
  return id;
}

/** `env` (default: this process's) with the run marker added. */
export function markedEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, [RUN_MARKER]: runId() };
}

const live = new Set<ChildProcess>();

function killAllOnExit(): void {
  // The test process is going away without having stopped these: take their trees with it.
  for (const child of live) if (child.pid !== undefined) killTree(child.pid, 'SIGKILL');
}

/** `spawn` in a process group of its own, with the run marker in the environment. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, env: markedEnv(options.env), detached: true });
  if (live.size === 0) process.once('exit', killAllOnExit);
  live.add(child);
  child.once('exit', () => {
    live.delete(child);
    if (live.size === 0) process.off('exit', killAllOnExit);
  });
  return child;
}

export interface StopOptions {
  /** The polite signal, sent to the process group (default SIGTERM). */
  signal?: NodeJS.Signals;
  /** How long to wait for an exit before SIGKILL (default 10 s). */
  graceMs?: number;
}

/**
 * Stops a process started by `spawnTracked` and everything it started: the signal goes to its
 * process group, SIGKILL follows after the grace period, and any descendant still alive once it
 * has exited (one that moved to a session of its own, say) is killed too. Resolves with the exit
 * code, or the signal name.
 */
export async function stopProcessTree(child: ChildProcess, options: StopOptions = {}): Promise<number | string> {
  const pid = child.pid;
  const exited = exitOf(child);
  if (pid === undefined) return exited;
  const descendants = descendantsOf(pid);
  if (!hasExited(child)) {
    signalGroup(pid, options.signal ?? 'SIGTERM');
    const force = setTimeout(() => killTree(pid, 'SIGKILL'), options.graceMs ?? 10_000);
    await exited;
    clearTimeout(force);
  }
  const stragglers = [...descendants, ...descendantsOf(pid)].filter(isOurs);
  for (const descendant of stragglers) sigkill(descendant);
  signalGroup(pid, 'SIGKILL');
  await gone(stragglers);
  return exited;
}

/** Resolves once none of `pids` is a live process of this run (a SIGKILL takes effect a moment later). */
async function gone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (pids.some(isOurs) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exitOf(child: ChildProcess): Promise<number | string> {
  if (hasExited(child)) return Promise.resolve(child.exitCode ?? child.signalCode ?? -1);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is empty already
  }
}

/** Sends `signal` to a process and all its descendants, whatever group or session they are in. */
export function signalTree(root: number, signal: NodeJS.Signals): void {
  for (const pid of [root, ...descendantsOf(root)]) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

function killTree(root: number, signal: NodeJS.Signals): void {
  signalGroup(root, signal);
  signalTree(root, signal);
}

/** A pid from an earlier snapshot counts only while it still carries this run's marker (pids are reused). */
function isOurs(pid: number): boolean {
  return markerOf(pid) === runId();
}

function sigkill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

function parentsByPid(): Map<number, number[]> {
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
  return children;
}

/** Every descendant of `root` alive now. */
export function descendantsOf(root: number): number[] {
  const children = parentsByPid();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The run marker in a process's environment, if it has one. */
export function markerOf(pid: number): string | undefined {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const prefix = `${RUN_MARKER}=`;
    return environ
      .split('\0')
      .find((entry) => entry.startsWith(prefix))
      ?.slice(prefix.length);
  } catch {
    return undefined;
  }
}

export interface MarkedProcess {
  pid: number;
  command: string;
}

/** Processes alive now whose environment carries `id` as the run marker. */
export function processesOfRun(id: string): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const entry of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (markerOf(pid) !== id) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    // A zombie has no command line and holds nothing; its parent will reap it.
    if (command) found.push({ pid, command });
  }
  return found;
}
