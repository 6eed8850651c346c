// The public shapes. The report body (HealthReport, CheckReport, HealthStatus) is @ogf/core's
// contract: it is what @ogf/status-http serves at /health, /health/live and /health/ready.
import type { HealthStatus } from '@ogf/core';

export type { CheckReport, HealthReport, HealthStatus } from '@ogf/core';

/** Which probe a check answers to. */
export type Probe = 'liveness' | 'readiness';

/** What a check returns (OffGridFlow's CheckResult; `name` defaults to the registered name). */
export interface CheckResult {
  name?: string;
  status: HealthStatus;
  message?: string;
  details?: Record<string, unknown>;
}

/**
 * A health check: gets an AbortSignal that fires when its timeout passes (or the checker gives up
 * on it) and returns a result, synchronously or as a promise.
 */
export type HealthCheck = (signal: AbortSignal) => CheckResult | Promise<CheckResult>;

export interface RegisterOptions {
  /** An unhealthy critical check fails the probe; a non-critical one only degrades it. Default true. */
  critical?: boolean;
  /** The probes the check belongs to. Default `['readiness']`. */
  probes?: readonly Probe[];
  /** Give up on the check after this long and report `timeout`. Default: the checker's `timeoutMs`. */
  timeoutMs?: number;
  /** Reuse a result for this long; concurrent probes share one call. Default: the checker's `cacheTtlMs`. */
  cacheTtlMs?: number;
}

/** Status as a number for gauges and alerts: 1 healthy, 0.5 degraded, 0 unhealthy. */
export const STATUS_VALUE: Readonly<Record<HealthStatus, number>> = { healthy: 1, degraded: 0.5, unhealthy: 0 };
