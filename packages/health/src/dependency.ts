// Prebuilt checks that call another system are marked, so that registering one for liveness fails
// at once: a liveness probe that fails when the database is down restarts every instance at the
// same moment and fixes nothing.
import type { CheckResult, HealthCheck, HealthStatus } from './types.js';

const DEPENDENCY = Symbol.for('ogf.health.dependency');

export function markDependency<T extends HealthCheck>(check: T): T {
  Object.defineProperty(check, DEPENDENCY, { value: true });
  return check;
}

export function isDependencyCheck(check: HealthCheck): boolean {
  return (check as unknown as Record<symbol, unknown>)[DEPENDENCY] === true;
}

/** Milliseconds since `start` (a performance.now() reading), two decimals. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/** healthy, or degraded when a latency threshold is set and exceeded. */
export function latencyStatus(latencyMs: number, degradedAfterMs: number | undefined): HealthStatus {
  return degradedAfterMs !== undefined && latencyMs > degradedAfterMs ? 'degraded' : 'healthy';
}

export function latencyResult(latencyMs: number, degradedAfterMs: number | undefined, details: Record<string, unknown> = {}): CheckResult {
  const status = latencyStatus(latencyMs, degradedAfterMs);
  return {
    status,
    ...(status === 'degraded' ? { message: 'slow' } : {}),
    details: { latency_ms: latencyMs, ...details },
  };
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
