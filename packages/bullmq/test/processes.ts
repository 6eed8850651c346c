// Runs test/fixtures/role.ts in its own process (through spawnTracked) and reads its JSON lines.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnTracked, stopProcessTree } from '@ogf/testkit/processes';

const fixtures = join(import.meta.dirname, 'fixtures');

/** Bun's or Deno's own executable (the testkit's packages), not the .bin wrapper that would outlive a signal. */
function runtimeBinary(runtime: 'bun' | 'deno'): string {
  const fromTestkit = createRequire(join(import.meta.dirname, '..', '..', '..', 'tools', 'testkit', 'package.json'));
  const dir = dirname(fromTestkit.resolve(`${runtime}/package.json`));
  const binary = runtime === 'bun' ? join(dir, 'bin', 'bun.exe') : join(dir, 'deno');
  if (!existsSync(binary)) throw new Error(`${runtime} binary not found at ${binary}: did its install script run?`);
  return binary;
}

/**
 * Where a role runs: Node with tsx (default); Bun, which reads the fixture's tsconfig paths; Deno,
 * with an import map to the @ogf sources and npm packages from node_modules.
 */
export type RoleRuntime = 'node' | 'bun' | 'deno';

function command(runtime: RoleRuntime): [string, string[]] {
  const entry = join(fixtures, 'role.ts');
  if (runtime === 'bun') return [runtimeBinary('bun'), ['--tsconfig-override', join(fixtures, 'tsconfig.json'), entry]];
  if (runtime === 'deno') {
    const flags = [
      'run',
      '-A',
      '--node-modules-dir=manual',
      '--unstable-sloppy-imports',
      '--import-map',
      join(fixtures, 'deno-import-map.json'),
    ];
    return [runtimeBinary('deno'), [...flags, entry]];
  }
  return [process.execPath, ['--import', 'tsx', entry]];
}

export interface RoleProcess {
  child: ChildProcess;
  events: Record<string, unknown>[];
  output(): string;
  /** Resolves with the first event matching, rejects when the process exits first. */
  waitFor(predicate: (event: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(): Promise<unknown>;
}

export function startRole(env: Record<string, string>, runtime: RoleRuntime = 'node'): RoleProcess {
  const [binary, args] = command(runtime);
  const child = spawnTracked(binary, args, {
    cwd: fixtures,
    env: { PATH: process.env.PATH ?? '', TSX_TSCONFIG_PATH: join(fixtures, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let text = '';
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      try {
        events.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not one of ours
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  // 'close', not 'exit': a process's last lines (the producer's `done`) can still be in the pipe
  // when 'exit' fires.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    child,
    events,
    output: () => text,
    exited,
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = events.find(predicate);
          if (found) {
            cleanup();
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching event in ${timeoutMs} ms; output:\n${text}`));
        }, timeoutMs);
        const onExit = (): void => {
          check();
          cleanup();
          reject(new Error(`process exited first; output:\n${text}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('close', onExit);
        };
        waiters.add(check);
        child.once('close', onExit);
        check();
      });
    },
    async stop() {
      await stopProcessTree(child);
      await exited; // and its output read
    },
  };
}
