// Runs test/fixtures/role.ts in its own process (through spawnTracked) and reads its JSON lines.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTracked, stopProcessTree } from '@ogf/testkit/processes';

const fixtures = join(import.meta.dirname, 'fixtures');

export interface RoleProcess {
  child: ChildProcess;
  events: Record<string, unknown>[];
  output(): string;
  /** Resolves with the first event matching, rejects when the process exits first. */
  waitFor(predicate: (event: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(): Promise<unknown>;
}

export function startRole(env: Record<string, string>): RoleProcess {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', join(fixtures, 'role.ts')], {
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
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
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
          child.off('exit', onExit);
        };
        waiters.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    stop: () => stopProcessTree(child),
  };
}
