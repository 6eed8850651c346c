// Options of request telemetry, normalised once.
import { STATUS_ROUTES } from '@ogf/status-http';

/** Options of request telemetry (`requestOptions` of `createObservability`). */
export interface RequestTelemetryOptions {
  /**
   * `true` (default): a valid incoming `traceparent`/`tracestate` becomes the server span's parent.
   * `false`: the request starts a new trace whose server span links to the caller's span (for APIs
   * that untrusted clients call: they cannot pick your trace ids or sampling).
   */
  trustIncomingTraceContext?: boolean;
  /**
   * Paths left out of request telemetry (no span, no metric, no access log, no request id). Compared
   * with the request's path, case-insensitive, without a trailing slash. Default: the status routes
   * (`/health`, `/health/live`, `/health/ready`, `/status`, `/metrics`, `/metrics/json`, their
   * `/api/v1` forms) and `/dashboard`. `[]` observes every request.
   */
  excludePaths?: readonly string[];
  /** The header the request id is read from and echoed in. Default: `X-Request-ID`. */
  requestIdHeader?: string;
  /** One `info` line per request (`event: "http.request"`). Default: `true`. */
  accessLog?: boolean;
}

/** The normalised options. */
export interface ResolvedRequestOptions {
  trust: boolean;
  excluded: ReadonlySet<string>;
  header: string;
  accessLog: boolean;
}

/** The paths excluded by default: every status route and the dashboard. */
export const DEFAULT_EXCLUDED_PATHS: readonly string[] = [...STATUS_ROUTES.map((route) => route.path), '/dashboard'];

/** Lower case, no trailing slash (except for `/` itself). */
export function canonicalPath(path: string): string {
  const lower = path.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.replace(/\/+$/, '') || '/' : lower;
}

/** Normalises the options once. */
export function resolveRequestOptions(options: RequestTelemetryOptions = {}): ResolvedRequestOptions {
  return {
    trust: options.trustIncomingTraceContext ?? true,
    excluded: new Set((options.excludePaths ?? DEFAULT_EXCLUDED_PATHS).map(canonicalPath)),
    header: options.requestIdHeader ?? 'X-Request-ID',
    accessLog: options.accessLog ?? true,
  };
}
