import { createTokenVerifier, TOKEN68, type TokenVerifier } from './auth.js';
import type { HealthSource, MetricsSource, ServiceInfo } from '@ogf/core';
import { errorReporter } from '@ogf/core';
import { diag } from '@opentelemetry/api';
import { OgfError } from './errors.js';

/** Cross-origin access; without it no CORS header is ever sent. */
export interface CorsOptions {
  /** `'*'` for any origin, or the exact origins allowed (e.g. `'https://ops.example.com'`). */
  origin: string | readonly string[];
}

/** The live dashboard page. */
export interface DashboardOptions {
  /** Where the page is served (under `basePath`; also under `/api/v1`). Default: `/dashboard`. */
  path?: string;
}

/** Options of {@link createStatusApp} and {@link createStatusHandler}. */
export interface StatusAppOptions {
  /** Serves `/health`, `/health/live`, `/health/ready`; with `metrics`, also `/status`. */
  health?: HealthSource;
  /** Serves `/metrics` and `/metrics/json`; with `health`, also `/status`. */
  metrics?: MetricsSource;
  /** Shown by `/status`. Default: `unknown_service`, `unknown`, `unknown`. */
  service?: Partial<ServiceInfo>;
  /** Prefix for every route, e.g. `/ops`. Default: none. */
  basePath?: string;
  /** Bearer token required for `/metrics`, `/metrics/json` and `/status`. Default: none (open). */
  token?: string;
  /** Show check `details` to callers without the token. Default: `false`. */
  publicDetails?: boolean;
  /** Send CORS headers and answer preflights for these origins. Default: no CORS headers. */
  cors?: CorsOptions;
  /** The live HTML dashboard over `/metrics/json` and `/status`; `false` turns it off. Default: `true` at `/dashboard`. */
  dashboard?: boolean | DashboardOptions;
  /** Hears about failing sources and non-finite numbers; never called for a normal request. Default: OTel's `diag.warn`. */
  onError?: (error: OgfError) => void;
}

/** Options after validation, as the request handler uses them. */
export interface ResolvedOptions {
  health: HealthSource | undefined;
  metrics: MetricsSource | undefined;
  service: ServiceInfo;
  basePath: string;
  verifyToken: TokenVerifier | undefined;
  publicDetails: boolean;
  cors: { anyOrigin: boolean; origins: ReadonlySet<string> } | undefined;
  /** The dashboard's path, `undefined` when it is off. */
  dashboardPath: string | undefined;
  report(error: OgfError): void;
}

function invalid(message: string): OgfError {
  return new OgfError('ERR_OGF_INVALID_OPTION', `@ogf/status-http: ${message}`);
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return (
    typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  );
}

function serviceField(service: Partial<ServiceInfo> | undefined, key: keyof ServiceInfo, fallback: string): string {
  const value = service?.[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw invalid(`service.${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function resolveBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  if (typeof basePath !== 'string' || !/^(?:\/[A-Za-z0-9\-._~]+)+$/.test(basePath)) {
    throw invalid(`basePath must look like '/ops' or '/internal/status' (no trailing slash, no encoding), got ${JSON.stringify(basePath)}`);
  }
  return basePath;
}

function resolveCors(cors: CorsOptions | undefined): ResolvedOptions['cors'] {
  if (cors === undefined) return undefined;
  const origin: unknown = cors.origin;
  const list: unknown[] = typeof origin === 'string' ? [origin] : Array.isArray(origin) ? (origin as unknown[]) : [];
  if (list.length === 0) throw invalid("cors.origin must be '*' or a non-empty list of origins");
  for (const entry of list) {
    if (entry !== '*' && !(typeof entry === 'string' && /^https?:\/\/[^/\s]+$/.test(entry))) {
      throw invalid(`cors.origin entries must be '*' or an origin like 'https://ops.example.com', got ${JSON.stringify(entry)}`);
    }
  }
  return { anyOrigin: list.includes('*'), origins: new Set(list as string[]) };
}

const RESERVED = new Set(['/health', '/status', '/metrics', '/api/v1', '/api']);

function resolveDashboard(dashboard: boolean | DashboardOptions | undefined): string | undefined {
  if (dashboard === undefined || dashboard === true) return '/dashboard';
  if (dashboard === false) return undefined;
  if (typeof dashboard !== 'object' || dashboard === null)
    throw invalid(`dashboard must be true, false or { path }, got ${JSON.stringify(dashboard)}`);
  const path: unknown = dashboard.path ?? '/dashboard';
  if (typeof path !== 'string' || !/^(?:\/[A-Za-z0-9\-._~]+)+$/.test(path) || RESERVED.has(`/${path.split('/')[1]?.toLowerCase()}`)) {
    throw invalid(
      `dashboard.path must look like '/dashboard' (no trailing slash, not under /health, /status, /metrics or /api), got ${JSON.stringify(path)}`,
    );
  }
  return path;
}

/** Validates options once; misconfiguration throws an {@link OgfError} with code ERR_OGF_INVALID_OPTION. */
export function resolveOptions(options: StatusAppOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('expected an options object');
  const { health, metrics, token, onError } = options;
  if (health !== undefined && !hasMethods(health, ['live', 'ready', 'report'])) {
    throw invalid('health must have live(), ready() and report() methods (e.g. createHealthChecker() from @ogf/health)');
  }
  if (metrics !== undefined && !hasMethods(metrics, ['render', 'summary'])) {
    throw invalid('metrics must have render() and summary() methods');
  }
  if (health === undefined && metrics === undefined) throw invalid('give at least one of health or metrics');
  if (token !== undefined && (typeof token !== 'string' || !TOKEN68.test(token))) {
    throw invalid('token must be a non-empty bearer token (letters, digits and -._~+/, optionally ending in =)');
  }
  if (onError !== undefined && typeof onError !== 'function') throw invalid('onError must be a function');
  return {
    health,
    metrics,
    service: {
      name: serviceField(options.service, 'name', 'unknown_service'),
      version: serviceField(options.service, 'version', 'unknown'),
      environment: serviceField(options.service, 'environment', 'unknown'),
      ...(options.service?.instance === undefined ? {} : { instance: serviceField(options.service, 'instance', '') }),
    },
    basePath: resolveBasePath(options.basePath),
    verifyToken: token === undefined ? undefined : createTokenVerifier(token),
    publicDetails: options.publicDetails === true,
    cors: resolveCors(options.cors),
    dashboardPath: resolveDashboard(options.dashboard),
    // A failing error hook must not turn a scrape into a failure: errorReporter swallows it.
    report: errorReporter(onError, (error) => diag.warn(`@ogf/status-http: ${error.message}`)),
  };
}
