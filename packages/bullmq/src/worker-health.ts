// The worker health check, in @ogf/health's shape: unhealthy when the worker is not running (never
// started, closing or closed) or cannot reach Redis; degraded when paused, when its stalled-job
// checker found stalled jobs within `stalledWindowMs`, or when a job has run longer than
// `stuckAfterMs`.
import type { CheckResult, HealthCheck } from '@ogf/health';
import { OgfError } from './errors.js';
import { pingRedis } from './redis-ping.js';
import type { WatchedWorker, WorkerWatch } from './worker-watch.js';

/** Options of the worker check. */
export interface WorkerCheckOptions {
  /** Stalled jobs found within this window degrade the check. Default 300 000 ms (5 min). */
  stalledWindowMs?: number;
  /** A job running longer than this degrades the check. Default: none. */
  stuckAfterMs?: number;
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}

export function workerCheck(worker: WatchedWorker, watch: WorkerWatch, options: WorkerCheckOptions, now: () => number): HealthCheck {
  const window = positive(options.stalledWindowMs, 'stalledWindowMs') ?? 300_000;
  const stuckAfter = positive(options.stuckAfterMs, 'stuckAfterMs');
  return async (signal): Promise<CheckResult> => {
    const at = now();
    let oldestStart = Infinity;
    for (const start of watch.running.values()) oldestStart = Math.min(oldestStart, start);
    const recentStalls = watch.stalls.filter((t) => at - t <= window).length;
    const details = {
      running: worker.isRunning(),
      paused: worker.isPaused(),
      jobs_in_progress: watch.running.size,
      longest_running_seconds: oldestStart === Infinity ? 0 : Math.round(at - oldestStart) / 1000,
      stalled_recently: recentStalls,
      completed: watch.completed,
      failed: watch.failed,
    };
    if (!details.running || worker.closing !== undefined) return { status: 'unhealthy', message: 'not_running', details };
    const redis = await pingRedis(worker, signal);
    if (redis !== undefined) return { ...redis, details: { ...details, ...redis.details } };
    if (details.paused) return { status: 'degraded', message: 'paused', details };
    if (stuckAfter !== undefined && at - oldestStart > stuckAfter) return { status: 'degraded', message: 'job_running_too_long', details };
    if (recentStalls > 0) return { status: 'degraded', message: 'stalled_jobs', details };
    return { status: 'healthy', details };
  };
}
