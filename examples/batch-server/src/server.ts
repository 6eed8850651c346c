// Entry point: `tsx src/server.ts`. SIGTERM or SIGINT drains in-flight batches and exits 0; a
// second signal, or the shutdown deadline, exits 1.
import { loadConfig } from './config.ts';
import { startBatchServer } from './runtime.ts';

const config = loadConfig();
const server = await startBatchServer(config);

let signals = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  signals += 1;
  if (signals > 1) {
    server.logger.error({ signal }, 'second signal: exiting without waiting');
    process.exit(1);
  }
  const deadline = setTimeout(() => {
    server.logger.error({ signal, timeout_ms: config.shutdownTimeoutMs }, 'shutdown deadline passed: exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs);
  deadline.unref();
  server.shutdown(signal).then(
    () => process.exit(0),
    (error: unknown) => {
      server.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
