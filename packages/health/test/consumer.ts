// Type-checked by CI against the packed package, the way a user would write it.
import { metrics } from '@opentelemetry/api';
import {
  cacheCheck,
  createHealthChecker,
  createHeartbeat,
  databaseCheck,
  httpCheck,
  httpStatusFor,
  isOgfError,
  queueCheck,
  schedulerCheck,
  type CheckResult,
  type HealthChecker,
  type HealthReport,
  type HealthStatus,
} from '@ogf/health';
import { redactFailure } from '@ogf/core';
import { createNodeHealthChecker, eventLoopCheck, memoryCheck } from '@ogf/health/node';

// Stand-ins with the shapes of real clients (pg Pool, node-redis/ioredis, a queue).
const pool = { query: (_sql: string): Promise<{ rows: unknown[] }> => Promise.resolve({ rows: [] }), totalCount: 1 };
const redis = { ping: (): Promise<string> => Promise.resolve('PONG'), isReady: true };
let backlog = 0;

const health: HealthChecker = createHealthChecker({
  timeoutMs: 2_000,
  cacheTtlMs: 1_000,
  startup: 'manual',
  meterProvider: metrics.getMeterProvider(),
});
const heartbeat = createHeartbeat({ maxAgeMs: 30_000 });
health.register('scheduler_loop', heartbeat.check, { probes: ['liveness'] });
health.register('database', databaseCheck(pool, { degradedAfterMs: 250 }));
health.register('cache', cacheCheck(redis), { critical: false, cacheTtlMs: 5_000 });
health.register('queue', queueCheck({ ping: () => redis.ping(), backlog: { read: () => backlog, degradedAbove: 1_000 } }));
health.register('factors_api', httpCheck('https://factors.example.com/healthz', { expectedStatus: [200, 204] }), { critical: false });
health.register('scheduler', schedulerCheck({ heartbeat, workers: () => ({ capacity: 4, healthy: 4 }), inFlight: () => [Date.now()] }), {
  probes: ['liveness', 'readiness'],
});
health.register('custom', async (signal: AbortSignal): Promise<CheckResult> => {
  const count = await Promise.resolve(backlog);
  if (signal.aborted) return { status: 'unhealthy', message: 'aborted' };
  return { status: 'healthy', details: { backlog: count } };
});

const node = createNodeHealthChecker({ eventLoop: { unhealthyAfterMs: 2_000 } });
node.register('memory', memoryCheck({ unhealthyRssBytes: 512 * 1024 ** 2 }), { critical: false });
const loop = eventLoopCheck();
loop.stop();

export async function answer(): Promise<Response> {
  heartbeat.beat();
  backlog += 1;
  health.markStarted();
  const body: HealthReport = await health.ready();
  const status: HealthStatus = body.checks.database?.status ?? 'unhealthy';
  return Response.json({ ...body, database: status }, { status: httpStatusFor(body) });
}

export function safeMessage(error: unknown): string {
  if (isOgfError(error)) return error.code;
  return redactFailure(error);
}

export async function drain(): Promise<number> {
  health.beginShutdown();
  return httpStatusFor(await health.ready());
}
