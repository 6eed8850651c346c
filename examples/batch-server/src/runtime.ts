// Boots the whole server: store, telemetry, batch service, HTTP listener; and stops it in order.
import { serve } from '@hono/node-server';
import { trackConnections } from '@ogf/status-http/node';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import { createMemoryDispatch } from './processing/memory-dispatch.ts';
import { createBatchService, type BatchService } from './service.ts';
import { openDatabase } from './store/database.ts';
import { openPostgres } from './store/postgres.ts';
import { setupTelemetry } from './telemetry/setup.ts';
import type { Logger } from './telemetry/telemetry.ts';

export interface RunningServer {
  url: string;
  service: BatchService;
  logger: Logger;
  /** Drains in-flight batches, flushes telemetry, closes the listener and the store. */
  shutdown(reason: string): Promise<void>;
  /** SIGTERM/SIGINT: drain, close and exit 0; a second signal or the deadline exits 1. */
  handleSignals(): void;
}

export async function startBatchServer(config: ServerConfig): Promise<RunningServer> {
  // Distributed mode shares PostgreSQL (config validation makes DATABASE_URL required with BullMQ).
  const pg = config.queue === 'bullmq' ? openPostgres(config.databaseUrl!) : undefined;
  const db = pg ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const observed = await setupTelemetry({ config, db });
  const { telemetry, obs } = observed;
  // BullMQ (and ioredis) load only in distributed mode: `pnpm demo` starts as before.
  const createBullMQDispatch = pg ? (await import('./processing/bullmq-dispatch.ts')).createBullMQDispatch : undefined;
  const service = createBatchService({
    config,
    db,
    telemetry,
    dispatch: (transitions) =>
      pg && createBullMQDispatch
        ? createBullMQDispatch({ config, db: pg, obs, telemetry, transitions })
        : createMemoryDispatch({ config, db, telemetry, transitions }),
  });
  await service.start();
  observed.attachService(service);

  const app = createApp({
    service,
    // A worker process serves only the status routes (health, /metrics, /status).
    batchApi: config.role !== 'worker',
    maxBodyBytes: config.maxBodyBytes,
    apiToken: config.apiToken,
    logger: telemetry.logger,
    observabilityApp: observed.app,
    requestTelemetry: observed.requests,
  });
  const server = serve({
    fetch: app.fetch,
    port: config.port,
    hostname: config.host,
    serverOptions: {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      // How often Node enforces the two timeouts above (its default, 30 s, adds up to 30 s to each).
      connectionsCheckingInterval: Math.min(1_000, config.headersTimeoutMs),
    },
  }) as Server;
  // Shutdown closes idle and never-used connections at once (a silent TCP client, e.g. a load
  // balancer's port check, would otherwise hold server.close() open until it gave up).
  const connections = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  telemetry.logger.info(
    {
      url,
      store: db.kind,
      queue: config.queue,
      role: config.role,
      instance_id: config.instanceId,
      workers: config.workers,
      queue_capacity: config.queueCapacity,
    },
    'batch server listening',
  );

  const closeRest = async (): Promise<void> => {
    await connections.close();
    await db.close();
    telemetry.logger.info({}, 'shutdown complete');
  };
  let stopping: Promise<void> | undefined;
  return {
    url,
    service,
    logger: telemetry.logger,
    shutdown(reason) {
      stopping ??= (async () => {
        telemetry.logger.info({ reason, in_flight: service.stats.workersActive }, 'shutting down: draining in-flight batches');
        await observed.shutdown();
        await closeRest();
      })();
      return stopping;
    },
    handleSignals() {
      observed.handleSignals(async () => {
        telemetry.logger.info({ in_flight: service.stats.workersActive }, 'in-flight batches drained');
        await closeRest();
      });
    },
  };
}
