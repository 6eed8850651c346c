import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheCheck, createHealthChecker, databaseCheck, httpStatusFor, isOgfError, type HealthReport } from './index.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

afterEach(() => {
  vi.useRealTimers();
});

describe('the health body', () => {
  it('has exactly the contract fields, check by check', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    health.register('database', () => ({ status: 'healthy', details: { latency_ms: 3 } }));
    health.register('cache', () => ({ status: 'healthy', message: '' }), { critical: false });
    const report = await health.report();
    expect(Object.keys(report).sort()).toEqual(['checks', 'overall_status', 'status', 'system_uptime_seconds', 'timestamp']);
    expect(report.status).toBe('healthy');
    expect(report.overall_status).toBe(report.status);
    expect(report.timestamp).toMatch(ISO);
    expect(Number.isInteger(report.system_uptime_seconds)).toBe(true);
    expect(Object.keys(report.checks.database!).sort()).toEqual(['checked_at', 'critical', 'details', 'duration_ms', 'name', 'status']);
    expect(report.checks.database).toMatchObject({ name: 'database', status: 'healthy', critical: true, details: { latency_ms: 3 } });
    expect(report.checks.database?.checked_at).toMatch(ISO);
    expect(report.checks.database?.duration_ms).toBeGreaterThanOrEqual(0);
    // An empty message is omitted, as are absent details.
    expect(Object.keys(report.checks.cache!).sort()).toEqual(['checked_at', 'critical', 'duration_ms', 'name', 'status']);
  });

  it('keys a check called __proto__ like any other', async () => {
    const health = createHealthChecker();
    health.register('__proto__', () => ({ status: 'unhealthy' }));
    const report = await health.ready();
    expect(Object.keys(report.checks)).toContain('__proto__');
    expect(JSON.parse(JSON.stringify(report)).checks.__proto__.status).toBe('unhealthy');
    expect(report.status).toBe('unhealthy');
  });

  it('uses the registered name even when a check returns another', async () => {
    const health = createHealthChecker();
    health.register('cache', () => ({ name: 'something else', status: 'healthy' }));
    expect((await health.report()).checks.cache?.name).toBe('cache');
  });

  it('counts system_uptime_seconds in whole seconds since the checker was created', async () => {
    vi.useFakeTimers();
    const health = createHealthChecker();
    await vi.advanceTimersByTimeAsync(3_999);
    expect((await health.live()).system_uptime_seconds).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect((await health.live()).system_uptime_seconds).toBe(4);
  });
});

describe('aggregation', () => {
  it('fails when a critical check is unhealthy and only degrades for a non-critical one', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    let critical: 'healthy' | 'unhealthy' = 'healthy';
    health.register('database', () => ({ status: critical }));
    health.register('cache', () => ({ status: 'unhealthy' }), { critical: false });
    const degraded = await health.ready();
    expect(degraded.status).toBe('degraded');
    expect(httpStatusFor(degraded)).toBe(200);
    critical = 'unhealthy';
    const failed = await health.ready();
    expect(failed.status).toBe('unhealthy');
    expect(httpStatusFor(failed)).toBe(503);
  });

  it('reports degraded when any check is degraded, critical or not', async () => {
    const health = createHealthChecker();
    health.register('database', () => ({ status: 'degraded' }));
    health.register('cache', () => ({ status: 'healthy' }), { critical: false });
    expect((await health.ready()).status).toBe('degraded');
  });
});

describe('probes', () => {
  it('runs liveness checks for live(), readiness checks for ready() and all of them for report()', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    const calls: string[] = [];
    health.register('loop', () => (calls.push('loop'), { status: 'healthy' }), { probes: ['liveness'] });
    health.register('database', () => (calls.push('database'), { status: 'unhealthy' }));
    health.register('scheduler', () => (calls.push('scheduler'), { status: 'healthy' }), { probes: ['liveness', 'readiness'] });
    health.markStarted();

    const live = await health.live();
    expect(Object.keys(live.checks).sort()).toEqual(['loop', 'scheduler']);
    expect(live.status).toBe('healthy');
    expect(calls.sort()).toEqual(['loop', 'scheduler']);

    calls.length = 0;
    const ready = await health.ready();
    expect(Object.keys(ready.checks).sort()).toEqual(['database', 'scheduler']);
    expect(ready.status).toBe('unhealthy');
    expect(calls.sort()).toEqual(['database', 'scheduler']);

    expect(Object.keys((await health.report()).checks).sort()).toEqual(['database', 'loop', 'scheduler']);
  });

  it('answers liveness healthy with no checks: a process that answers is alive', async () => {
    expect((await createHealthChecker().live()).status).toBe('healthy');
  });

  it('refuses a prebuilt dependency check for liveness', () => {
    const health = createHealthChecker();
    const pool = { query: () => Promise.resolve() };
    let caught: unknown;
    try {
      health.register('database', databaseCheck(pool), { probes: ['liveness', 'readiness'] });
    } catch (error) {
      caught = error;
    }
    expect(isOgfError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('ERR_OGF_DEPENDENCY_IN_LIVENESS');
    expect(() => health.register('cache', cacheCheck({ ping: () => 'PONG' }), { probes: ['liveness'] })).toThrow(/readiness/);
    expect(() => health.register('database', databaseCheck(pool))).not.toThrow();
  });
});

describe('start-up', () => {
  it('is not ready until the first pass succeeds, then stays started', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    let status: 'healthy' | 'unhealthy' = 'unhealthy';
    health.register('warmup', () => ({ status }));
    const first = await health.ready();
    expect(first.status).toBe('unhealthy');
    expect(first.checks.lifecycle).toMatchObject({ status: 'unhealthy', message: 'starting' });
    expect(health.started).toBe(false);

    status = 'healthy';
    const second = await health.ready();
    expect(second.status).toBe('healthy');
    expect(second.checks.lifecycle).toBeUndefined();
    expect(health.started).toBe(true);

    // After start-up, a failure is the check's own, without a lifecycle entry.
    status = 'unhealthy';
    const third = await health.ready();
    expect(third.status).toBe('unhealthy');
    expect(third.checks.lifecycle).toBeUndefined();
  });

  it("waits for markStarted() with startup: 'manual', even when every check passes", async () => {
    const health = createHealthChecker({ startup: 'manual' });
    health.register('database', () => ({ status: 'healthy' }));
    const before = await health.ready();
    expect(before.status).toBe('unhealthy');
    expect(before.checks.lifecycle?.message).toBe('starting');
    expect((await health.live()).status).toBe('healthy');
    health.markStarted();
    expect((await health.ready()).status).toBe('healthy');
  });
});

describe('registration', () => {
  it('throws OgfError with a code on misconfiguration', () => {
    const health = createHealthChecker();
    health.register('database', () => ({ status: 'healthy' }));
    const cases: [() => void, string][] = [
      [() => health.register('database', () => ({ status: 'healthy' })), 'ERR_OGF_DUPLICATE_CHECK'],
      [() => health.register('lifecycle', () => ({ status: 'healthy' })), 'ERR_OGF_RESERVED_NAME'],
      [() => health.register('', () => ({ status: 'healthy' })), 'ERR_OGF_INVALID_CHECK'],
      [() => health.register('x', 'not a function' as never), 'ERR_OGF_INVALID_CHECK'],
      [() => health.register('x', () => ({ status: 'healthy' }), { timeoutMs: 0 }), 'ERR_OGF_INVALID_OPTION'],
      [() => health.register('x', () => ({ status: 'healthy' }), { cacheTtlMs: -1 }), 'ERR_OGF_INVALID_OPTION'],
      [() => health.register('x', () => ({ status: 'healthy' }), { probes: [] }), 'ERR_OGF_INVALID_OPTION'],
      [() => health.register('x', () => ({ status: 'healthy' }), { probes: ['startup' as never] }), 'ERR_OGF_INVALID_OPTION'],
      [() => createHealthChecker({ timeoutMs: Number.NaN }), 'ERR_OGF_INVALID_OPTION'],
      [() => createHealthChecker({ startup: 'later' as never }), 'ERR_OGF_INVALID_OPTION'],
      [() => createHealthChecker({ meterProvider: {} as never }), 'ERR_OGF_INVALID_OPTION'],
    ];
    for (const [act, code] of cases) {
      let caught: unknown;
      try {
        act();
      } catch (error) {
        caught = error;
      }
      expect(isOgfError(caught), code).toBe(true);
      expect((caught as { code: string }).code).toBe(code);
    }
  });

  it('unregisters a check, aborting a call in flight', async () => {
    const health = createHealthChecker();
    let signal: AbortSignal | undefined;
    health.register('slow', (s) => {
      signal = s;
      return new Promise(() => undefined);
    });
    void health.ready();
    expect(health.unregister('slow')).toBe(true);
    expect(signal?.aborted).toBe(true);
    expect(health.unregister('slow')).toBe(false);
    expect(Object.keys((await health.ready()).checks)).toEqual([]);
  });
});

describe('snapshot', () => {
  it('reads the last known results without running any check', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    let calls = 0;
    health.register('database', () => (calls++, { status: 'degraded', message: 'slow' }));
    health.markStarted();
    expect(health.snapshot().checks).toEqual({});
    const report: HealthReport = await health.ready();
    const snapshot = health.snapshot();
    expect(calls).toBe(1);
    expect(snapshot.status).toBe('degraded');
    expect(snapshot.checks.database).toEqual(report.checks.database);
  });
});
