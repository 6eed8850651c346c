// The public shapes. The report body is fixed by the workspace contract (section D): it is what
// @ogf/status-http serves at /health, /health/live and /health/ready.

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** Which probe a check answers to. */
export type Probe = 'liveness' | 'readiness';

/** What a check returns (the seed's CheckResult; `name` defaults to the registered name). */
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

/** One check in a report. */
export interface CheckReport {
  name: string;
  status: HealthStatus;
  /** Omitted when empty; always redacted. */
  message?: string;
  /** How long the check took, in milliseconds. */
  duration_ms: number;
  /** When the check last ran (cached results keep their original time), ISO 8601. */
  checked_at: string;
  critical: boolean;
  details?: Record<string, unknown>;
}

/** The health body (the seed's, plus per-check timing). */
export interface HealthReport {
  status: HealthStatus;
  timestamp: string;
  /** Whole seconds since the checker was created. */
  system_uptime_seconds: number;
  checks: Record<string, CheckReport>;
  /** The same value as `status` (the seed has both). */
  overall_status: HealthStatus;
}

/** Status as a number for gauges and alerts: 1 healthy, 0.5 degraded, 0 unhealthy. */
export const STATUS_VALUE: Readonly<Record<HealthStatus, number>> = { healthy: 1, degraded: 0.5, unhealthy: 0 };

export function isHealthStatus(value: unknown): value is HealthStatus {
  return value === 'healthy' || value === 'degraded' || value === 'unhealthy';
}
