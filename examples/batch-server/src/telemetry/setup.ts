// Wires @ogf/observability: the single place where the processor meets its instrumentation. It
// returns the Telemetry the processor calls (obs.batches, the lifecycle API, and a logger), the HTTP routes observability serves (/health,
// /health/live, /health/ready, /status, /metrics, /metrics/json and their /api/v1 forms), health
// checks on the real store, queue and pool, and the shutdown order (readiness fails, in-flight
// batches drain, telemetry flushes).
import { createObservability, health as healthKit, type Observability } from '@ogf/observability';
import { installShutdownHandlers } from '@ogf/observability/node';
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Hono, MiddlewareHandler } from 'hono';
import type { ServerConfig } from '../config.ts';
import type { BatchService } from '../service.ts';
import type { Database } from '../store/database.ts';
import type { Telemetry } from './telemetry.ts';

export interface ObservedSetup {
  /** The whole Observability, for adapters that take it (@ogf/bullmq). */
  obs: Observability;
  telemetry: Telemetry;
  /** Health, status and metrics routes, mounted at the root. */
  app: Hono | undefined;
  /** Request telemetry for the whole API: server spans continuing `traceparent`, RED metrics, `X-Request-ID`, access log. */
  requests: MiddlewareHandler | undefined;
  /** Registers the health checks and the drain hook that need the running service; marks start-up done. */
  attachService(service: BatchService): void;
  /** Readiness fails, in-flight batches drain, telemetry is flushed and the providers stop. */
  shutdown(): Promise<void>;
  /** SIGTERM/SIGINT: first signal shuts down then runs `afterShutdown` and exits 0; a second signal or the deadline exits 1. */
  handleSignals(afterShutdown: () => Promise<void>): void;
}

/**
 * JSON log lines to a file instead of stdout (the demo keeps its console for the summary). Each
 * line is written synchronously: the process ends with process.exit (after a clean shutdown, a
 * second signal or the deadline), which does not wait for buffered stream writes, so an async
 * stream lost the last records (shutdown.end, "shutdown complete", the forced-exit line).
 */
function fileDestination(path: string): { write(line: string): void } {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  return { write: (line) => void writeSync(fd, line.endsWith('\n') ? line : `${line}\n`) };
}

export function setupTelemetry(options: { config: ServerConfig; db: Database }): Promise<ObservedSetup> {
  const { config, db } = options;
  const obs: Observability = createObservability({
    ...(config.logFile ? { logDestination: fileDestination(config.logFile) } : {}),
    serviceName: process.env.OTEL_SERVICE_NAME || 'batch-server',
    serviceVersion: process.env.OTEL_SERVICE_VERSION || '0.1.0',
    // Which process of the service this is: api and workers share the service name.
    resourceAttributes: { 'service.instance.id': config.instanceId },
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    metricsOptions: { workerCapacity: config.role === 'api' ? 0 : config.workers, lockNames: ['org'] },
    // queue.size is read from the BoundedQueue itself (memory-dispatch.ts), not counted by the
    // lifecycle; with BullMQ the queue gauges of @ogf/bullmq say what waits.
    lifecycleOptions: { queue: 'external', lockTimeoutMs: config.lockTimeoutMs },
    ...(config.statusToken ? { statusOptions: { token: config.statusToken } } : {}),
  });
  obs.health.register('database', healthKit.databaseCheck(db, { degradedAfterMs: 500 }));
  // DEMO_FAILING_CHECK=name: a non-critical dependency that is always down, to see how an outage looks.
  const failing = process.env.DEMO_FAILING_CHECK;
  if (failing) {
    obs.health.register(failing, () => ({ status: 'unhealthy', message: `simulated outage of ${failing} (DEMO_FAILING_CHECK)` }), {
      critical: false,
    });
  }

  return Promise.resolve({
    obs,
    telemetry: {
      batches: obs.batches,
      logger: obs.logger,
      setQueueSize: (size) => obs.metrics.setQueueSize(size),
      recordTransition: (batchId, from, to, reason) => obs.recordStateTransition({ batchId, from, to, reason }),
      recordError: (error) => void obs.metrics.recordError({ error }),
    },
    app: obs.app,
    requests: obs.requests.hono(),
    attachService(service) {
      // With BullMQ, @ogf/bullmq registers the queue's checks (Redis reachable, backlog) and the worker's.
      if (config.queue === 'memory') {
        obs.health.register(
          'queue',
          healthKit.queueCheck({
            ping: () => true,
            backlog: {
              read: () => service.stats.queueSize,
              degradedAbove: Math.floor(config.queueCapacity * 0.8),
              unhealthyAbove: config.queueCapacity - 1,
            },
          }),
          { critical: false },
        );
        obs.health.register(
          'scheduler',
          healthKit.schedulerCheck({ workers: () => ({ capacity: service.stats.workers, healthy: service.stats.workers }) }),
          { critical: false },
        );
      }
      obs.addDrainHook('in-flight batches', () => service.drain());
      obs.health.markStarted();
    },
    async shutdown() {
      const report = await obs.shutdown();
      obs.logger.info(
        { event: 'shutdown.report', ok: report.ok, drains: report.drains, undelivered_spans: report.undeliveredSpans },
        'observability shut down',
      );
    },
    handleSignals(afterShutdown) {
      installShutdownHandlers(obs, { timeoutMs: config.shutdownTimeoutMs, onShutdown: afterShutdown });
    },
  });
}
