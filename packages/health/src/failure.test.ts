// The failure cases of the point 3, one test each. The clock is faked (timeouts and cache
// windows); everything else is the real checker.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHealthChecker, type CheckResult, type HealthReport } from './index.js';

function neverSettles(): Promise<CheckResult> {
  return new Promise<CheckResult>(() => undefined);
}

function json(report: HealthReport): string {
  return JSON.stringify(report);
}

describe('a check that never settles', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is reported unhealthy with reason timeout after its timeout, and its signal is aborted', async () => {
    const health = createHealthChecker({ timeoutMs: 2_000, cacheTtlMs: 0 });
    const signals: AbortSignal[] = [];
    health.register('hangs', (signal) => {
      signals.push(signal);
      return neverSettles();
    });
    let report: HealthReport | undefined;
    const probe = health.ready().then((r) => (report = r));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(report).toBeUndefined();
    expect(signals[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await probe;
    expect(report?.status).toBe('unhealthy');
    expect(report?.checks.hangs).toMatchObject({ status: 'unhealthy', message: 'timeout', critical: true });
    expect(signals[0]?.aborted).toBe(true);
    expect((signals[0]?.reason as DOMException).name).toBe('TimeoutError');
  });

  it('leaves no timer behind and calls a cooperative check once per probe', async () => {
    const health = createHealthChecker({ timeoutMs: 100, cacheTtlMs: 0 });
    let calls = 0;
    let pending = 0;
    health.register('hangs', (signal) => {
      calls += 1;
      pending += 1;
      // A cooperative check gives up when its signal fires.
      return new Promise<CheckResult>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          pending -= 1;
          reject(signal.reason as Error);
        });
      });
    });
    for (let i = 0; i < 50; i += 1) {
      const probe = health.ready();
      await vi.advanceTimersByTimeAsync(100);
      expect((await probe).checks.hangs?.message).toBe('timeout');
      expect(vi.getTimerCount()).toBe(0);
    }
    expect(calls).toBe(50);
    expect(pending).toBe(0);
  });

  it('stops calling a check that ignores its abort signal instead of piling up calls', async () => {
    const health = createHealthChecker({ timeoutMs: 100, cacheTtlMs: 0 });
    let calls = 0;
    health.register('ignores_abort', () => {
      calls += 1;
      return neverSettles();
    });
    for (let i = 0; i < 50; i += 1) {
      const probe = health.ready();
      await vi.advanceTimersByTimeAsync(100);
      expect((await probe).checks.ignores_abort).toMatchObject({ status: 'unhealthy', message: 'timeout' });
    }
    expect(calls).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('calls the check again once an abandoned call finally settles', async () => {
    const health = createHealthChecker({ timeoutMs: 100, cacheTtlMs: 0 });
    const release: ((result: CheckResult) => void)[] = [];
    health.register('slow', () => new Promise<CheckResult>((resolve) => release.push(resolve)));
    for (let i = 0; i < 3; i += 1) {
      const probe = health.ready();
      await vi.advanceTimersByTimeAsync(100);
      await probe;
    }
    expect(release).toHaveLength(2);
    release[0]?.({ status: 'healthy' });
    await vi.advanceTimersByTimeAsync(0);
    const probe = health.ready();
    expect(release).toHaveLength(3);
    release[2]?.({ status: 'healthy' });
    expect((await probe).status).toBe('healthy');
  });
});

describe('a check that misbehaves', () => {
  it('throwing synchronously is unhealthy with a redacted reason while the others still answer', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    health.register('throws', () => {
      throw new Error('boom');
    });
    health.register('fine', () => ({ status: 'healthy' }));
    const report = await health.ready();
    expect(report.status).toBe('unhealthy');
    expect(report.checks.throws).toMatchObject({ status: 'unhealthy', message: 'boom' });
    expect(report.checks.fine?.status).toBe('healthy');
  });

  it('rejecting with a non-Error is unhealthy with the generic reason check_failed', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    // What this test is about: rejections that are not Errors.
    /* eslint-disable @typescript-eslint/prefer-promise-reject-errors */
    health.register('rejects_string', () => Promise.reject('password=hunter2'));
    health.register('rejects_number', () => Promise.reject(42));
    health.register('rejects_undefined', () => Promise.reject(undefined));
    /* eslint-enable @typescript-eslint/prefer-promise-reject-errors */
    health.register('fine', () => Promise.resolve({ status: 'healthy' }));
    const report = await health.ready();
    for (const name of ['rejects_string', 'rejects_number', 'rejects_undefined']) {
      expect(report.checks[name]).toMatchObject({ status: 'unhealthy', message: 'check_failed' });
    }
    expect(report.checks.fine?.status).toBe('healthy');
    expect(json(report)).not.toContain('hunter2');
  });

  it('returning garbage is unhealthy with the reason invalid_result', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    const garbage: unknown[] = [undefined, null, 'healthy', 1, { status: 'ok' }, { status: 'HEALTHY' }, [], { message: 'no status' }];
    garbage.forEach((value, index) => health.register(`garbage_${index}`, () => value as CheckResult));
    health.register('fine', () => ({ status: 'degraded', message: 'slow but fine' }));
    const report = await health.ready();
    garbage.forEach((_value, index) => {
      expect(report.checks[`garbage_${index}`]).toMatchObject({ status: 'unhealthy', message: 'invalid_result' });
    });
    expect(report.checks.fine).toMatchObject({ status: 'degraded', message: 'slow but fine' });
  });
});

describe('caching with single-flight', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes 200 concurrent probes cause one call of each dependency check per window', async () => {
    const health = createHealthChecker({ cacheTtlMs: 5_000 });
    const calls = { database: 0, cache: 0 };
    health.register('database', async () => {
      calls.database += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { status: 'healthy' };
    });
    health.register('cache', async () => {
      calls.cache += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { status: 'healthy' };
    });
    const probes = Array.from({ length: 200 }, (_, i) => (i % 2 ? health.ready() : health.report()));
    await vi.advanceTimersByTimeAsync(50);
    const reports = await Promise.all(probes);
    expect(reports.every((r) => r.status === 'healthy')).toBe(true);
    expect(calls).toEqual({ database: 1, cache: 1 });

    // Still inside the window: served from the cache, with the original checked_at.
    await vi.advanceTimersByTimeAsync(4_000);
    const cached = await Promise.all(Array.from({ length: 200 }, () => health.ready()));
    expect(calls).toEqual({ database: 1, cache: 1 });
    expect(cached[0]?.checks.database?.checked_at).toBe(reports[0]?.checks.database?.checked_at);

    // A new window: one more call each, however many probes.
    await vi.advanceTimersByTimeAsync(1_100);
    const next = Array.from({ length: 200 }, () => health.ready());
    await vi.advanceTimersByTimeAsync(50);
    await Promise.all(next);
    expect(calls).toEqual({ database: 2, cache: 2 });
  });

  it('never lets a late result overwrite a newer one', async () => {
    const health = createHealthChecker({ timeoutMs: 100, cacheTtlMs: 60_000 });
    const release: ((result: CheckResult) => void)[] = [];
    health.register('flaky', () => new Promise<CheckResult>((resolve) => release.push(resolve)));

    const first = health.ready();
    await vi.advanceTimersByTimeAsync(100);
    expect((await first).checks.flaky?.message).toBe('timeout');

    // The timeout result is cached; let it expire, then the second call answers on time.
    await vi.advanceTimersByTimeAsync(60_000);
    const second = health.ready();
    release[1]?.({ status: 'degraded', message: 'fresh' });
    expect((await second).checks.flaky).toMatchObject({ status: 'degraded', message: 'fresh' });

    // The first call finally answers: too late, it must not replace the fresher result.
    release[0]?.({ status: 'healthy', message: 'stale' });
    await vi.advanceTimersByTimeAsync(0);
    expect((await health.ready()).checks.flaky).toMatchObject({ status: 'degraded', message: 'fresh' });
    expect(health.snapshot().checks.flaky?.message).toBe('fresh');
  });
});

describe('redaction', () => {
  it('turns the driver error with a connection string into connection_refused, without secret or address', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    health.register('database', () => {
      throw new Error('connect ECONNREFUSED postgres://app:S3cr3t@10.0.0.5:5432/db');
    });
    const report = await health.report();
    expect(report.checks.database?.message).toBe('connection_refused');
    const body = json(report);
    expect(body).not.toContain('S3cr3t');
    expect(body).not.toContain('10.0.0.5');
    expect(body).not.toContain('app:');
  });

  it('scrubs messages and details that checks return, and never includes a stack trace', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    const error = new Error('relation "jobs" does not exist');
    health.register('returns_secrets', () => ({
      status: 'unhealthy',
      message: `login failed: postgres://app:S3cr3t@db.internal.example:5432/app token=abc123\n    at Pool.connect (/app/node_modules/pg/lib/index.js:45:11)`,
      details: {
        dsn: 'postgres://app:S3cr3t@10.0.0.5/db',
        password: 'S3cr3t',
        nested: { note: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', error },
        latency_ms: 12,
        bad: Number.NaN,
      },
    }));
    health.register('throws_with_stack', () => {
      throw error;
    });
    const report = await health.report();
    const body = json(report);
    for (const secret of ['S3cr3t', 'abc123', 'eyJhbGciOiJIUzI1NiJ9', '10.0.0.5', 'db.internal.example', 'node_modules', '    at ']) {
      expect(body).not.toContain(secret);
    }
    expect(report.checks.returns_secrets?.message).toBe('login failed: postgres://[redacted] token=[redacted]');
    expect(report.checks.returns_secrets?.details).toMatchObject({ dsn: '[redacted]', password: '[redacted]', latency_ms: 12, bad: null });
    expect(report.checks.throws_with_stack?.message).toBe('relation "jobs" does not exist');
  });
});

describe('beginShutdown', () => {
  it('makes readiness fail at once while liveness stays healthy', async () => {
    const health = createHealthChecker({ cacheTtlMs: 0 });
    let readinessCalls = 0;
    health.register(
      'database',
      () => {
        readinessCalls += 1;
        return neverSettles();
      },
      { timeoutMs: 60_000 },
    );
    health.register('loop', () => ({ status: 'healthy' }), { probes: ['liveness'] });
    health.markStarted();

    health.beginShutdown();
    // Answers without waiting for the hanging dependency (the test would time out otherwise).
    const ready = await health.ready();
    expect(ready.status).toBe('unhealthy');
    expect(ready.checks.lifecycle).toMatchObject({ status: 'unhealthy', message: 'shutting_down', critical: true });
    expect(readinessCalls).toBe(0);
    const live = await health.live();
    expect(live.status).toBe('healthy');
    expect(Object.keys(live.checks)).toEqual(['loop']);
    expect(health.shuttingDown).toBe(true);
  });
});
