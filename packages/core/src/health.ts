// The health report: the body of /health, /health/live and /health/ready. @ogf/health produces
// it; @ogf/status-http serves it.

/** A health verdict: `degraded` still answers 200, `unhealthy` answers 503. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/**
 * True for one of the three verdicts (a source's answer is checked before it is trusted).
 *
 * @example
 * isHealthStatus('degraded'); // true
 * isHealthStatus('ok'); // false
 */
export function isHealthStatus(value: unknown): value is HealthStatus {
  return value === 'healthy' || value === 'degraded' || value === 'unhealthy';
}

/** One check in a {@link HealthReport}. */
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

/** The health body. */
export interface HealthReport {
  status: HealthStatus;
  /** ISO 8601 time of the report. */
  timestamp: string;
  /** Whole seconds since the checker was created. */
  system_uptime_seconds: number;
  checks: Record<string, CheckReport>;
  /** The same value as `status` (OffGridFlow's body carries both). */
  overall_status: HealthStatus;
}
