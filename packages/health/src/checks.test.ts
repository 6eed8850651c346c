// The prebuilt checks that need no external server: heartbeat, scheduler, queue thresholds, and
// the HTTP check against a real node:http server on port 0.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createHealthChecker,
  createHeartbeat,
  databaseCheck,
  httpCheck,
  isOgfError,
  queueCheck,
  schedulerCheck,
  cacheCheck,
} from './index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createHeartbeat', () => {
  it('is healthy while beating and stale once the loop stops', async () => {
    vi.useFakeTimers();
    const heartbeat = createHeartbeat({ maxAgeMs: 30_000 });
    const health = createHealthChecker({ cacheTtlMs: 0 });
    health.register('scheduler_loop', heartbeat.check, { probes: ['liveness'] });
    await vi.advanceTimersByTimeAsync(29_000);
    expect((await health.live()).status).toBe('healthy');
    heartbeat.beat();
    await vi.advanceTimersByTimeAsync(29_000);
    const live = await health.live();
    expect(live.checks.scheduler_loop).toMatchObject({ status: 'healthy', details: { age_ms: 29_000, max_age_ms: 30_000, beats: 1 } });
    await vi.advanceTimersByTimeAsync(1_001);
    expect((await health.live()).checks.scheduler_loop).toMatchObject({ status: 'unhealthy', message: 'stale_heartbeat' });
    heartbeat.beat();
    expect((await health.live()).status).toBe('healthy');
  });
});

describe('schedulerCheck', () => {
  it('reports the polling loop, the worker pool and stuck batches', async () => {
    vi.useFakeTimers();
    const heartbeat = createHeartbeat({ maxAgeMs: 10_000 });
    const pool = { capacity: 4, healthy: 4 };
    const processing: Date[] = [];
    const check = schedulerCheck({ heartbeat, workers: () => pool, inFlight: () => processing, stuckAfterMs: 60_000 });
    const health = createHealthChecker({ cacheTtlMs: 0 });
    health.register('scheduler', check, { probes: ['liveness', 'readiness'] });

    expect((await health.live()).checks.scheduler).toMatchObject({
      status: 'healthy',
      details: { heartbeat_age_ms: 0, workers_healthy: 4, workers_capacity: 4, stuck_batches: 0 },
    });

    pool.healthy = 3;
    processing.push(new Date());
    await vi.advanceTimersByTimeAsync(61_000);
    heartbeat.beat();
    const degraded = (await health.live()).checks.scheduler;
    expect(degraded).toMatchObject({
      status: 'degraded',
      message: 'workers_unhealthy, stuck_batches',
      details: { stuck_batches: 1, oldest_batch_age_ms: 61_000 },
    });

    pool.healthy = 0;
    await vi.advanceTimersByTimeAsync(11_000);
    const failed = (await health.live()).checks.scheduler;
    expect(failed).toMatchObject({ status: 'unhealthy', message: 'stale_heartbeat, no_healthy_workers, stuck_batches' });
  });

  it('needs at least one thing to watch', () => {
    expect(() => schedulerCheck({})).toThrow(/at least one/);
  });
});

describe('queueCheck', () => {
  it('fails when ping returns false or a reading is not a number, and rejects bad options', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    health.register('down', queueCheck({ ping: () => false }));
    health.register('nan', queueCheck({ ping: () => true, lag: { read: () => Number.NaN } }));
    const report = await health.report();
    expect(report.checks.down).toMatchObject({ status: 'unhealthy', message: 'not_connected' });
    expect(report.checks.nan).toMatchObject({ status: 'unhealthy', message: 'invalid_lag_reading' });
    expect(() => queueCheck({} as never)).toThrow(/ping/);
    expect(() => queueCheck({ ping: () => true, backlog: { read: 5 as never } })).toThrow(/backlog\.read/);
    expect(() => queueCheck({ ping: () => true, lag: { read: () => 1, degradedAbove: -1 } })).toThrow(/degradedAbove/);
  });
});

describe('client validation', () => {
  it('refuses clients without the methods a check needs, with OgfError invalid_client', () => {
    for (const act of [
      () => databaseCheck({} as never),
      () => databaseCheck('postgres://app:pw@db/app' as never),
      () => cacheCheck({} as never),
    ]) {
      let caught: unknown;
      try {
        act();
      } catch (error) {
        caught = error;
      }
      expect(isOgfError(caught)).toBe(true);
      expect((caught as { code: string }).code).toBe('ERR_OGF_INVALID_CLIENT');
      expect((caught as Error).message).not.toContain('pw@');
    }
  });

  it('uses unsafe(sql) for postgres.js-style clients and ping() when that is all there is', async () => {
    const seen: string[] = [];
    const postgresJs = Object.assign(() => undefined, { unsafe: (sql: string) => (seen.push(`unsafe:${sql}`), Promise.resolve([])) });
    const pingOnly = { ping: () => (seen.push('ping'), Promise.resolve()) };
    const health = createHealthChecker();
    health.register('postgres_js', databaseCheck(postgresJs));
    health.register('mysql', databaseCheck(pingOnly));
    expect((await health.ready()).status).toBe('healthy');
    expect(seen.sort()).toEqual(['ping', 'unsafe:SELECT 1']);
  });
});

describe('httpCheck against a real HTTP server', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(`${request.method} ${request.url}`);
      if (request.url === '/ok') return response.end('fine');
      if (request.url === '/teapot') return void response.writeHead(418).end();
      if (request.url === '/down') return void response.writeHead(503).end('down');
      // '/hang': never answers; the check's timeout aborts the request.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is healthy on 2xx, unhealthy on an unexpected status, and accepts the statuses you expect', async () => {
    // Nothing here hangs; the deadline only has to cover a first fetch on a busy machine.
    const health = createHealthChecker({ cacheTtlMs: 0, timeoutMs: 10_000 });
    health.register('ok', httpCheck(`${base}/ok`));
    health.register('down', httpCheck(`${base}/down`), { critical: false });
    health.register('teapot', httpCheck(`${base}/teapot`, { expectedStatus: [200, 418], method: 'HEAD' }));
    const report = await health.ready();
    expect(report.checks.ok).toMatchObject({ status: 'healthy', details: { status_code: 200 } });
    expect(report.checks.down).toMatchObject({ status: 'unhealthy', message: 'unexpected_status', details: { status_code: 503 } });
    expect(report.checks.teapot).toMatchObject({ status: 'healthy', details: { status_code: 418 } });
    expect(hits).toContain('HEAD /teapot');
    expect(JSON.stringify(report)).not.toContain(base);
  });

  it('aborts a request that hangs at the timeout and says timeout', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0, timeoutMs: 300 });
    health.register('hang', httpCheck(`${base}/hang`));
    const report = await health.ready();
    expect(report.checks.hang).toMatchObject({ status: 'unhealthy', message: 'timeout' });
  });

  it('says connection_refused when nothing listens, without the address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise((resolve) => closed.close(resolve));
    const health = createHealthChecker({ cacheTtlMs: 0 });
    health.register('gone', httpCheck(url));
    const report = await health.ready();
    expect(report.checks.gone).toMatchObject({ status: 'unhealthy', message: 'connection_refused' });
  });

  it('refuses a relative URL', () => {
    expect(() => httpCheck('/healthz')).toThrow(/absolute URL/);
  });
});
