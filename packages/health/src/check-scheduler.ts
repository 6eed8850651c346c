// OffGridFlow's scheduler check: the polling loop is active (heartbeat age), the worker pool has
// healthy workers, and no batch has been processing for longer than a threshold. Everything is
// read from the process itself, so the check is safe for liveness as well as readiness.
import { OgfError } from './errors.js';
import { optionalFunction, optionalNumber } from './options.js';
import type { CheckResult, HealthCheck, HealthStatus } from './types.js';

export interface WorkerPoolState {
  /** Workers the pool should have. */
  capacity: number;
  /** Workers that are alive and able to take a batch (busy or idle). */
  healthy: number;
}

export interface SchedulerCheckOptions {
  /** The polling loop's heartbeat (from createHeartbeat, or anything with ageMs()). */
  heartbeat?: { ageMs(): number; readonly maxAgeMs?: number };
  /** Unhealthy when the heartbeat is older. Default: the heartbeat's maxAgeMs, else 60 000 ms. */
  maxHeartbeatAgeMs?: number;
  /** The worker pool's state: fewer than minHealthyWorkers is unhealthy, fewer than capacity degraded. */
  workers?: () => WorkerPoolState | Promise<WorkerPoolState>;
  /** Default 1. */
  minHealthyWorkers?: number;
  /** Start times (epoch ms or Date) of the batches processing now. */
  inFlight?: () => Iterable<number | Date> | Promise<Iterable<number | Date>>;
  /** A batch processing for longer than this is stuck (degraded). Default 900 000 ms (15 min). */
  stuckAfterMs?: number;
}

/**
 * Checks a batch scheduler: heartbeat age, worker pool health and stuck batches.
 *
 * @example
 * health.register('scheduler', schedulerCheck({
 *   heartbeat,
 *   workers: () => ({ capacity: pool.size, healthy: pool.aliveCount }),
 *   inFlight: () => processing.map((batch) => batch.startedAt),
 *   stuckAfterMs: 10 * 60_000,
 * }), { probes: ['liveness', 'readiness'] });
 */
export function schedulerCheck(options: SchedulerCheckOptions): HealthCheck {
  if (typeof options !== 'object' || options === null)
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'schedulerCheck expects an options object');
  const { heartbeat } = options;
  if (heartbeat !== undefined && typeof heartbeat?.ageMs !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'heartbeat must have ageMs() (use createHeartbeat())');
  }
  const workers = optionalFunction(options.workers, 'workers');
  const inFlight = optionalFunction(options.inFlight, 'inFlight');
  if (!heartbeat && !workers && !inFlight) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'schedulerCheck needs at least one of heartbeat, workers or inFlight');
  }
  const maxAgeMs = optionalNumber(options.maxHeartbeatAgeMs, 'maxHeartbeatAgeMs', heartbeat?.maxAgeMs ?? 60_000, { exclusiveMin: true });
  const minHealthy = optionalNumber(options.minHealthyWorkers, 'minHealthyWorkers', 1);
  const stuckAfterMs = optionalNumber(options.stuckAfterMs, 'stuckAfterMs', 900_000, { exclusiveMin: true });

  return async (): Promise<CheckResult> => {
    const details: Record<string, unknown> = {};
    const problems: { status: HealthStatus; reason: string }[] = [];
    if (heartbeat) {
      const age = heartbeat.ageMs();
      details.heartbeat_age_ms = age;
      if (!(age <= maxAgeMs)) problems.push({ status: 'unhealthy', reason: 'stale_heartbeat' });
    }
    if (workers) {
      const pool = await workers();
      details.workers_healthy = pool?.healthy;
      details.workers_capacity = pool?.capacity;
      if (typeof pool?.healthy !== 'number' || typeof pool.capacity !== 'number') {
        problems.push({ status: 'unhealthy', reason: 'invalid_worker_state' });
      } else if (pool.healthy < minHealthy) {
        problems.push({ status: 'unhealthy', reason: 'no_healthy_workers' });
      } else if (pool.healthy < pool.capacity) {
        problems.push({ status: 'degraded', reason: 'workers_unhealthy' });
      }
    }
    if (inFlight) {
      const now = Date.now();
      let stuck = 0;
      let oldest = 0;
      for (const startedAt of await inFlight()) {
        const age = now - (startedAt instanceof Date ? startedAt.getTime() : startedAt);
        if (!Number.isFinite(age)) continue;
        oldest = Math.max(oldest, age);
        if (age > stuckAfterMs) stuck += 1;
      }
      details.stuck_batches = stuck;
      details.oldest_batch_age_ms = oldest;
      if (stuck > 0) problems.push({ status: 'degraded', reason: 'stuck_batches' });
    }
    const status: HealthStatus = problems.some((p) => p.status === 'unhealthy')
      ? 'unhealthy'
      : problems.length > 0
        ? 'degraded'
        : 'healthy';
    return { status, ...(problems.length ? { message: problems.map((p) => p.reason).join(', ') } : {}), details };
  };
}
