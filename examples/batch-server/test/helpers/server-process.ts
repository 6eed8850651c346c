// Boots the example for real: `node --import tsx src/server.ts` as a child process on a free
// port, so a test can talk HTTP to it, send it signals and kill -9 it.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@ogf/testkit/services';
import { spawnTracked } from '@ogf/testkit/processes';

const exampleDir = join(import.meta.dirname, '..', '..');

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the server printed. */
  output(): string;
  /** Parsed JSON log lines, from stdout and LOG_FILE. */
  logLines(): Record<string, unknown>[];
  /** Resolves with the exit code (or signal name) once the process has exited and its output is all read. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM and wait for exit (kill -9 after 20 s). */
  stop(): Promise<number | string>;
}

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ogf-batch-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServerProcess(
  env: Record<string, string> = {},
  options: { startTimeoutMs?: number; entry?: string; readyText?: string } = {},
): Promise<ServerProcess> {
  const readyText = options.readyText ?? '"batch server listening"';
  const port = await freePort();
  const logStart = env.LOG_FILE !== undefined && existsSync(env.LOG_FILE) ? statSync(env.LOG_FILE).size : 0;
  const child = spawnTracked(process.execPath, ['--import', 'tsx', options.entry ?? 'src/server.ts'], {
    cwd: exampleDir,
    env: {
      ...process.env,
      // @ogf/* from the packages' sources, as vitest does: the tests need no build.
      TSX_TSCONFIG_PATH: join(exampleDir, 'test', 'tsconfig.source.json'),
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': 'exit' can come before the last lines the process wrote to its pipes
  // have been read, and a test reads output() right after the exit.
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? -1)));

  // With LOG_FILE the JSON lines (and the ready line) go to that file instead of stdout; only
  // what this process appends counts (an earlier boot may have written to the same file).
  const logFile = env.LOG_FILE;
  const logText = (): string =>
    logFile !== undefined && existsSync(logFile) ? readFileSync(logFile).subarray(logStart).toString('utf8') : '';
  const deadline = Date.now() + (options.startTimeoutMs ?? 180_000);
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.includes(readyText) || logText().includes(readyText)) {
        clearInterval(check);
        resolve();
      } else if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        clearInterval(check);
        child.kill('SIGKILL');
        reject(new Error(`batch server did not start:\n${output}`));
      }
    }, 50);
  });

  const handle: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    logLines: () =>
      (output + logText())
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop() {
      handle.kill('SIGTERM');
      const timer = setTimeout(() => handle.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return handle;
}
