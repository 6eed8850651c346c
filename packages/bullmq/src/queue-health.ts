// Health checks of a queue, in @ogf/health's shape: Redis reachable (critical), and the backlog
// (waiting + prioritized jobs) and the oldest waiting job's age against your thresholds (degraded or
// unhealthy above them; not critical unless you say so).
import type { CheckResult, HealthCheck } from '@ogf/health';
import { OgfError } from './errors.js';
import { readQueue } from './queue-read.js';
import type { ReadableQueue } from './queue-read.js';
import { pingRedis } from './redis-ping.js';
import type { RedisOwner } from './redis-ping.js';

/** Levels above which a reading degrades or fails the check. */
export interface Threshold {
  degradedAbove?: number;
  unhealthyAbove?: number;
}

/** Options of the queue's backlog check. */
export interface BacklogCheckOptions {
  /** Jobs waiting (waiting + prioritized). Default: no threshold. */
  backlog?: Threshold;
  /** Seconds the oldest waiting job has waited. Default: no threshold. */
  oldestWaitingAgeSeconds?: Threshold;
}

function validThreshold(value: Threshold | undefined, name: string): Threshold | undefined {
  if (value === undefined) return undefined;
  for (const key of ['degradedAbove', 'unhealthyAbove'] as const) {
    const level = value[key];
    if (level !== undefined && (typeof level !== 'number' || !Number.isFinite(level) || level < 0)) {
      throw new OgfError('ERR_OGF_INVALID_OPTION', `${name}.${key} must be a number ≥ 0, got ${String(level)}`);
    }
  }
  return value;
}

function judge(value: number, threshold: Threshold | undefined): 'healthy' | 'degraded' | 'unhealthy' {
  if (threshold?.unhealthyAbove !== undefined && value > threshold.unhealthyAbove) return 'unhealthy';
  if (threshold?.degradedAbove !== undefined && value > threshold.degradedAbove) return 'degraded';
  return 'healthy';
}

const RANK = { healthy: 0, degraded: 1, unhealthy: 2 } as const;

/** Redis reachable from this queue. */
export function redisCheck(owner: RedisOwner): HealthCheck {
  return async (signal): Promise<CheckResult> => (await pingRedis(owner, signal)) ?? { status: 'healthy' };
}

/** Backlog and oldest-waiting age against thresholds; unhealthy when the queue cannot be read. */
export function backlogCheck(queue: ReadableQueue, options: BacklogCheckOptions, now: () => number): HealthCheck {
  const backlog = validThreshold(options.backlog, 'backlog');
  const age = validThreshold(options.oldestWaitingAgeSeconds, 'oldestWaitingAgeSeconds');
  return async (): Promise<CheckResult> => {
    let reading;
    try {
      reading = await readQueue(queue, now());
    } catch (error) {
      return {
        status: 'unhealthy',
        message: 'queue_unreadable',
        details: { error: error instanceof Error ? error.message : String(error) },
      };
    }
    const waiting = reading.counts.waiting + reading.counts.prioritized;
    const ageSeconds = Math.round(reading.oldestWaitingAgeSeconds * 1000) / 1000;
    const byBacklog = judge(waiting, backlog);
    const byAge = judge(ageSeconds, age);
    const status = RANK[byBacklog] >= RANK[byAge] ? byBacklog : byAge;
    const details = {
      waiting,
      active: reading.counts.active,
      delayed: reading.counts.delayed,
      failed: reading.counts.failed,
      oldest_waiting_age_seconds: ageSeconds,
    };
    if (status === 'healthy') return { status, details };
    const message =
      byBacklog !== 'healthy' && byAge !== 'healthy'
        ? 'backlog_and_age_high'
        : byBacklog !== 'healthy'
          ? 'backlog_high'
          : 'oldest_waiting_too_old';
    return { status, message, details };
  };
}
