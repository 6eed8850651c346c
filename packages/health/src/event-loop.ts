/// <reference types="node" />
// Event-loop responsiveness (Node): a process whose loop is saturated answers nothing on time even
// though it is "running". libuv samples the loop's delay in the background (an unref'd timer that
// never keeps the process alive); each check reads the percentile since the previous check.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { OgfError } from './errors.js';
import { optionalNumber } from './options.js';
import type { CheckResult, HealthCheck } from './types.js';

export interface EventLoopCheckOptions {
  /** Degraded when the delay percentile exceeds this. Default 200 ms. */
  degradedAfterMs?: number;
  /** Unhealthy when the delay percentile exceeds this. Default 1000 ms. */
  unhealthyAfterMs?: number;
  /** Which percentile of the samples since the previous check to judge (1–100). Default 99. */
  percentile?: number;
  /** Sampling interval. Default 20 ms. */
  resolutionMs?: number;
}

/** A health check with a `stop()` that ends the background sampling. */
export type EventLoopCheck = HealthCheck & { stop(): void };

const NS_PER_MS = 1e6;

/**
 * Checks event-loop delay since the previous check; safe for liveness (no I/O).
 *
 * @example
 * health.register('event_loop', eventLoopCheck({ unhealthyAfterMs: 2_000 }), { probes: ['liveness'] });
 */
export function eventLoopCheck(options: EventLoopCheckOptions = {}): EventLoopCheck {
  const degradedAfterMs = optionalNumber(options.degradedAfterMs, 'degradedAfterMs', 200);
  const unhealthyAfterMs = optionalNumber(options.unhealthyAfterMs, 'unhealthyAfterMs', 1_000);
  const percentile = optionalNumber(options.percentile, 'percentile', 99, { exclusiveMin: true });
  const resolution = optionalNumber(options.resolutionMs, 'resolutionMs', 20, { min: 1 });
  if (percentile > 100) throw new OgfError('ERR_OGF_INVALID_OPTION', `percentile must be in (0, 100], got ${percentile}`);
  if (unhealthyAfterMs < degradedAfterMs) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'unhealthyAfterMs must be at least degradedAfterMs');
  }
  const histogram = monitorEventLoopDelay({ resolution: Math.round(resolution) });
  histogram.enable();
  const round = (ns: number): number => Math.round((ns / NS_PER_MS) * 10) / 10;

  const check = (): CheckResult => {
    const samples = histogram.count;
    if (samples === 0) return { status: 'healthy', details: { samples: 0 } };
    const delay = round(histogram.percentile(percentile));
    const details = { [`delay_p${percentile}_ms`]: delay, delay_max_ms: round(histogram.max), samples };
    histogram.reset();
    if (delay > unhealthyAfterMs) return { status: 'unhealthy', message: 'event_loop_blocked', details };
    if (delay > degradedAfterMs) return { status: 'degraded', message: 'event_loop_slow', details };
    return { status: 'healthy', details };
  };
  return Object.assign(check, { stop: () => histogram.disable() });
}
