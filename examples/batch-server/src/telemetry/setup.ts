// Chooses the instrumentation. This is the single place that changes when @ogf/observability is
// wired: it returns the Telemetry the processor calls, the HTTP routes it serves, and shutdown.
import type { Hono } from 'hono';
import type { ServerConfig } from '../config.ts';
import type { BatchService } from '../service.ts';
import type { Database } from '../store/database.ts';
import { createJsonLogger, createNoopTelemetry, type Telemetry } from './telemetry.ts';

export interface ObservedSetup {
  telemetry: Telemetry;
  /** Health, status and metrics routes, mounted at the root. */
  app: Hono | undefined;
  /** Lets health checks and gauges read the running service. */
  attachService(service: BatchService): void;
  /** Runs `drain` (in-flight work) then flushes and stops the providers. */
  shutdown(drain: () => Promise<void>): Promise<void>;
}

export function setupTelemetry(_options: { config: ServerConfig; db: Database }): Promise<ObservedSetup> {
  const telemetry = createNoopTelemetry(createJsonLogger());
  return Promise.resolve({
    telemetry,
    app: undefined,
    attachService() {},
    shutdown: (drain) => drain(),
  });
}
