// Builds OffGridFlow's JSON bodies field by field from what the sources return, so nothing the source
// happens to carry (an error object, a stack, a connection string) reaches the wire unless it is a
// contract field, and a public caller gets scrubbed messages without check details.
import { isHealthStatus } from '@ogf/core';
import type { BatchSummary, CheckReport, HealthReport, HealthStatus, ServiceInfo } from '@ogf/core';
import type { StatusBody } from './contracts.js';

/** Who is reading: a public caller gets less. */
export interface Audience {
  /** Shows check messages as the source wrote them. */
  authorized: boolean;
  /** Shows `details` to public callers too. */
  publicDetails: boolean;
}

const MAX_PUBLIC_MESSAGE = 200;

/**
 * The message a public caller may see: first line only, URL credentials and query strings masked,
 * at most 200 characters. Health sources redact already; this is the second fence.
 */
export function publicMessage(message: string): string {
  const firstLine = message.split(/\r?\n/, 1)[0] ?? '';
  const masked = firstLine
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1[redacted]@')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#]*)\?[^\s#]*/gi, '$1?[redacted]');
  return masked.length > MAX_PUBLIC_MESSAGE ? `${masked.slice(0, MAX_PUBLIC_MESSAGE)}…` : masked;
}

function shownMessage(message: unknown, audience: Audience): string | undefined {
  if (typeof message !== 'string' || message === '') return undefined;
  return audience.authorized ? message : publicMessage(message);
}

function checkBody(key: string, check: Partial<CheckReport>, audience: Audience): CheckReport {
  const message = shownMessage(check.message, audience);
  const details = check.details;
  const showDetails = (audience.authorized || audience.publicDetails) && typeof details === 'object' && details !== null;
  return {
    name: typeof check.name === 'string' ? check.name : key,
    status: isHealthStatus(check.status) ? check.status : 'unhealthy',
    ...(message === undefined ? {} : { message }),
    duration_ms: check.duration_ms as number,
    checked_at: check.checked_at as string,
    critical: check.critical === true,
    ...(showDetails ? { details } : {}),
  };
}

function checksOf(report: HealthReport): [string, Partial<CheckReport>][] {
  const checks: unknown = report.checks;
  if (!checks || typeof checks !== 'object') return [];
  return Object.entries(checks as Record<string, Partial<CheckReport>>).filter(([, check]) => check !== null && typeof check === 'object');
}

/** The health body (contract D) for `/health`, `/health/live` and `/health/ready`. */
export function healthBody(report: HealthReport, status: HealthStatus, audience: Audience): HealthReport {
  const checks: Record<string, CheckReport> = {};
  for (const [key, check] of checksOf(report)) checks[key] = checkBody(key, check, audience);
  return {
    status,
    timestamp: report.timestamp,
    system_uptime_seconds: report.system_uptime_seconds,
    checks,
    overall_status: status,
  };
}

/** The `/status` body: service info, the health verdict, dependencies and seven batch numbers. */
export function statusBody(
  service: ServiceInfo,
  report: HealthReport,
  status: HealthStatus,
  summary: BatchSummary,
  audience: Audience,
  now: Date,
): StatusBody {
  const dependencies: StatusBody['dependencies'] = {};
  for (const [key, check] of checksOf(report)) {
    dependencies[key] = {
      status: isHealthStatus(check.status) ? check.status : 'unhealthy',
      message: shownMessage(check.message, audience) ?? '',
    };
  }
  const uptime = report.system_uptime_seconds;
  return {
    service_name: service.name,
    service_version: service.version,
    environment: service.environment,
    ...(service.instance === undefined ? {} : { instance_id: service.instance }),
    status,
    uptime: typeof uptime === 'number' && Number.isFinite(uptime) ? Math.floor(uptime) : uptime,
    timestamp: now.toISOString(),
    dependencies,
    metrics: {
      batches_submitted: summary.batches_submitted,
      batches_processing: summary.batches_processing,
      batches_completed: summary.batches_completed,
      batches_failed: summary.batches_failed,
      workers_active: summary.workers_active,
      queue_size: summary.queue_size,
      success_rate: summary.success_rate,
      total_emissions: summary.total_emissions,
    },
  };
}

/** Non-finite numbers as the workspace spells them in JSON: 'NaN', '+Inf', '-Inf'. */
function encodeNonFinite(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/**
 * JSON.stringify that never turns NaN or ±Infinity into `null` silently: they are written as the
 * strings 'NaN', '+Inf', '-Inf' and each one is reported with the key that carried it.
 */
export function toJson(value: unknown, onNonFinite: (key: string) => void): string {
  // NaN and ±Infinity come out of plain JSON.stringify as `null`; without any `null` in the text
  // there was none, and the replacer (several times slower) is not needed.
  const plain = JSON.stringify(value);
  if (!plain.includes('null')) return plain;
  return JSON.stringify(value, (key, item: unknown) => {
    if (typeof item === 'number' && !Number.isFinite(item)) {
      onNonFinite(key);
      return encodeNonFinite(item);
    }
    return item;
  });
}
