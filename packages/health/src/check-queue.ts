// Message queues differ too much for one client interface (AMQP, Kafka, SQS, BullMQ, a Redis
// list), so this check takes small functions: one proves connectivity, two optional ones read the
// backlog and the consumer lag, each judged against thresholds you choose.
import { elapsedMs, markDependency } from './dependency.js';
import { OgfError } from './errors.js';
import { optionalFunction, optionalThreshold } from './options.js';
import type { CheckResult, HealthCheck, HealthStatus } from './types.js';

/** A reading (messages, seconds: your unit) and the levels above which it degrades or fails. */
export interface QueueThreshold {
  read: (signal: AbortSignal) => number | Promise<number>;
  degradedAbove?: number;
  unhealthyAbove?: number;
}

export interface QueueCheckOptions {
  /** Proves connectivity; throwing or returning `false` makes the check unhealthy. */
  ping(signal: AbortSignal): unknown;
  /** Messages waiting. */
  backlog?: QueueThreshold;
  /** How far consumers are behind (messages or seconds). */
  lag?: QueueThreshold;
}

const RANK: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, unhealthy: 2 };

/**
 * Checks a message queue: connectivity, then backlog and consumer lag against thresholds.
 *
 * @example
 * health.register('queue', queueCheck({
 *   ping: () => redis.ping(),
 *   backlog: { read: () => redis.lLen('jobs'), degradedAbove: 1_000, unhealthyAbove: 10_000 },
 * }));
 */
export function queueCheck(options: QueueCheckOptions): HealthCheck {
  if (typeof options !== 'object' || options === null || typeof options.ping !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'queueCheck expects { ping(signal), backlog?, lag? }');
  }
  const readings = (['backlog', 'lag'] as const).flatMap((key) => {
    const threshold = options[key];
    if (threshold === undefined) return [];
    if (typeof threshold !== 'object' || threshold === null) {
      throw new OgfError('ERR_OGF_INVALID_OPTION', `${key} must be { read(signal), degradedAbove?, unhealthyAbove? }`);
    }
    const read = optionalFunction(threshold.read, `${key}.read`);
    if (!read) throw new OgfError('ERR_OGF_INVALID_OPTION', `${key}.read must be a function returning a number`);
    return [
      {
        key,
        read,
        degradedAbove: optionalThreshold(threshold.degradedAbove, `${key}.degradedAbove`),
        unhealthyAbove: optionalThreshold(threshold.unhealthyAbove, `${key}.unhealthyAbove`),
      },
    ];
  });

  return markDependency(async (signal): Promise<CheckResult> => {
    const start = performance.now();
    if ((await options.ping(signal)) === false) return { status: 'unhealthy', message: 'not_connected' };
    const details: Record<string, unknown> = { latency_ms: elapsedMs(start) };
    let status: HealthStatus = 'healthy';
    const reasons: string[] = [];
    for (const reading of readings) {
      const value = await reading.read(signal);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return { status: 'unhealthy', message: `invalid_${reading.key}_reading`, details };
      }
      details[reading.key] = value;
      const level: HealthStatus =
        reading.unhealthyAbove !== undefined && value > reading.unhealthyAbove
          ? 'unhealthy'
          : reading.degradedAbove !== undefined && value > reading.degradedAbove
            ? 'degraded'
            : 'healthy';
      if (level !== 'healthy') reasons.push(`${reading.key}_above_threshold`);
      if (RANK[level] > RANK[status]) status = level;
    }
    return { status, ...(reasons.length ? { message: reasons.join(', ') } : {}), details };
  });
}
