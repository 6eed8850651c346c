// The example batch server as a child process for the live tests, booted by the example's own test
// helper: on a port the kernel picks when it binds (PORT=0, read back from its ready line), so no
// other process can take the port between choosing and binding; stopped with SIGTERM (SIGKILL
// after 20 s).
import { startServerProcess } from '../../../examples/batch-server/test/helpers/server-process.ts';

export interface Example {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the example server (sources, no build needed) and resolves once it listens (its ready line is out; 60 s at most). */
export async function startExample(env: Record<string, string>): Promise<Example> {
  const server = await startServerProcess({ NODE_ENV: 'test', HOST: '127.0.0.1', ...env }, { startTimeoutMs: 60_000 });
  return {
    url: server.url,
    port: server.port,
    output: () => server.output(),
    async stop() {
      await server.stop();
    },
  };
}
