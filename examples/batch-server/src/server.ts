// Entry point: `tsx src/server.ts`. SIGTERM or SIGINT fails readiness, drains in-flight batches,
// flushes telemetry and exits 0; a second signal, or the shutdown deadline, exits 1.
import { loadConfig } from './config.ts';
import { startBatchServer } from './runtime.ts';

const server = await startBatchServer(loadConfig());
server.handleSignals();
