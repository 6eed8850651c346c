// Boots the example for real: `node --import tsx src/server.ts` as a child process, so a test can
// talk HTTP to it, send it signals and kill -9 it. The server listens on PORT=0 (the kernel picks a
// free port at bind time, so no other process can take it first) and the helper reads the URL it
// bound from its own "batch server listening" log line.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const LISTENING = '"batch server listening"';

/**
 * The URL in the server's "batch server listening" JSON log line (the port it bound), if printed.
 *
 * @example
 * ```ts
 * listeningUrl('{"url":"http://127.0.0.1:41234","msg":"batch server listening"}\n'); // 'http://127.0.0.1:41234'
 * ```
 */
export function listeningUrl(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith('{') || !line.includes(LISTENING)) continue;
    try {
      const { url } = JSON.parse(line) as { url?: unknown };
      if (typeof url === 'string') return url;
    } catch {
      // a line still being written
    }
  }
  return undefined;
}

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ogf-batch-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServerProcess(
  env: Record<string, string> = {},
  options: { startTimeoutMs?: number; entry?: string; readyText?: string } = {},
): Promise<ServerProcess> {
  const readyText = options.readyText ?? LISTENING;
  const logStart = env.LOG_FILE !== undefined && existsSync(env.LOG_FILE) ? statSync(env.LOG_FILE).size : 0;
  const child = spawnTracked(process.execPath, ['--import', 'tsx', options.entry ?? 'src/server.ts'], {
    cwd: exampleDir,
    env: {
      ...process.env,
      // @ogf/* from the packages' sources, as vitest does: the tests need no build.
      TSX_TSCONFIG_PATH: join(exampleDir, 'test', 'tsconfig.source.json'),
      PORT: '0',
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
  const url = await new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const text = output + logText();
      const bound = listeningUrl(text);
      if (bound !== undefined && text.includes(readyText)) {
        clearInterval(check);
        resolve(bound);
      } else if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        clearInterval(check);
        child.kill('SIGKILL');
        reject(new Error(`batch server did not start:\n${output}`));
      }
    }, 50);
  });

  const handle: ServerProcess = {
    url,
    port: Number(new URL(url).port),
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
