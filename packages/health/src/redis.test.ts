// The cache check against a real Redis through node-redis v5 and ioredis, and the queue check on a
// Redis list. The fault tests stop (or freeze) Redis in the middle and bring it back.
import { startRedis, type RedisHandle } from '@ogf/testkit/services';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheCheck, createHealthChecker, createHeartbeat, queueCheck, type HealthCheck } from './index.js';
import { eventually } from '../test/helpers.js';

let server: RedisHandle;
let nodeRedis: ReturnType<typeof createClient>;
let ioredis: Redis;

beforeAll(async () => {
  server = await startRedis();
  // Tied to the server: connection errors while Redis is down are expected and kept by the handle
  // (unheard they would crash the process), and stop() closes the clients before Redis.
  nodeRedis = server.tie(createClient({ url: server.url, socket: { reconnectStrategy: () => 100, connectTimeout: 2_000 } }));
  await nodeRedis.connect();
  ioredis = server.tie(new Redis(server.url, { retryStrategy: () => 100, maxRetriesPerRequest: 1, connectTimeout: 2_000 }));
});

afterAll(async () => {
  await server?.stop();
});

const clients: [string, () => HealthCheck][] = [
  ['node-redis', () => cacheCheck(nodeRedis)],
  ['ioredis', () => cacheCheck(ioredis)],
];

function checker(check: HealthCheck) {
  const health = createHealthChecker({ timeoutMs: 1_500, cacheTtlMs: 0 });
  health.register('cache', check);
  health.register('loop', createHeartbeat().check, { probes: ['liveness'] });
  health.markStarted();
  return health;
}

describe.each(clients)('cacheCheck on Redis via %s', (_client, makeCheck) => {
  it('is healthy with the PING latency in details', async () => {
    const report = await checker(makeCheck()).ready();
    expect(report.checks.cache).toMatchObject({ status: 'healthy' });
    expect((report.checks.cache?.details as { latency_ms: number }).latency_ms).toBeGreaterThan(0);
  });

  it('flips readiness to unhealthy on the first probe after Redis stops, keeps liveness healthy, and recovers', async () => {
    const health = checker(makeCheck());
    expect((await health.ready()).status).toBe('healthy');

    await server.pause();
    try {
      const down = await health.ready();
      expect(down.status).toBe('unhealthy');
      expect(down.checks.cache?.message).toMatch(/^(connection_refused|connection_reset|unavailable|not_connected|timeout)$/);
      expect(JSON.stringify(down)).not.toContain(String(server.port));
      expect((await health.live()).status).toBe('healthy');
    } finally {
      await server.resume();
    }
    const up = await eventually(
      () => health.ready(),
      (r) => r.status === 'healthy',
    );
    expect(up.checks.cache?.status).toBe('healthy');
  });

  it('reports timeout within one timeout when Redis stops answering, then recovers', async () => {
    const health = checker(makeCheck());
    expect((await health.ready()).status).toBe('healthy');
    await server.freeze();
    try {
      const hung = await health.ready();
      expect(hung.checks.cache).toMatchObject({ status: 'unhealthy', message: 'timeout' });
      expect((await health.live()).status).toBe('healthy');
    } finally {
      await server.thaw();
    }
    await eventually(
      () => health.ready(),
      (r) => r.status === 'healthy',
    );
  });
});

describe('queueCheck on a Redis list', () => {
  it('judges the backlog against its thresholds and fails when the queue is unreachable', async () => {
    const key = `jobs:${Date.now()}`;
    const health = createHealthChecker({ timeoutMs: 1_500, cacheTtlMs: 0 });
    health.register(
      'queue',
      queueCheck({
        ping: () => nodeRedis.ping(),
        backlog: { read: () => nodeRedis.lLen(key), degradedAbove: 3, unhealthyAbove: 10 },
        lag: { read: () => 0, unhealthyAbove: 60 },
      }),
    );
    health.markStarted();

    let report = await health.ready();
    expect(report.checks.queue).toMatchObject({ status: 'healthy', details: { backlog: 0, lag: 0 } });

    await nodeRedis.rPush(key, ['a', 'b', 'c', 'd', 'e']);
    report = await health.ready();
    expect(report.checks.queue).toMatchObject({ status: 'degraded', message: 'backlog_above_threshold', details: { backlog: 5 } });
    expect(report.status).toBe('degraded');

    await nodeRedis.rPush(
      key,
      Array.from({ length: 10 }, (_, i) => `job-${i}`),
    );
    report = await health.ready();
    expect(report.checks.queue).toMatchObject({ status: 'unhealthy', details: { backlog: 15 } });

    await nodeRedis.del(key);
    await server.pause();
    try {
      report = await health.ready();
      expect(report.checks.queue?.status).toBe('unhealthy');
    } finally {
      await server.resume();
    }
    await eventually(
      () => health.ready(),
      (r) => r.status === 'healthy',
    );
  });
});
