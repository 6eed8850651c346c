// The example batch server as a child process for the live tests: started on a free port with the
// given environment, ready once /health/live answers, stopped with SIGTERM (SIGKILL after 20 s).
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTracked } from '@ogf/testkit/processes';
import { freePort } from '@ogf/testkit/services';
import { repoRoot } from '../src/paths.ts';

const exampleDir = join(repoRoot, 'examples', 'batch-server');

export interface Example {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the example server and resolves once it answers liveness. */
export async function startExample(env: Record<string, string>): Promise<Example> {
  const port = await freePort();
  const child: ChildProcess = spawnTracked(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: exampleDir,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the example server exited during start:\n${output}`);
    const live = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the example server did not answer /health/live within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
