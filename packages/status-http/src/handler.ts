import { healthBody, statusBody, toJson, type Audience } from './bodies.js';
import { isHealthStatus, negotiateFormat } from '@ogf/core';
import type { BatchSummary, Exposition, ExpositionFormat, HealthReport, HealthStatus, MetricsSource, StreamedExposition } from '@ogf/core';
import { OgfError } from './errors.js';
import { resolveOptions, type StatusAppOptions } from './options.js';
import { createDashboardServer } from './dashboard/serve.js';
import { createRouteTable, dashboardRoutes, rawPathOf, type RouteName, type StatusRoute } from './paths.js';
import { baseHeaders, errorReply, JSON_CONTENT_TYPE, toResponse, type HeaderRecord, type Reply } from './responses.js';

/** A Web-standard request handler: `(Request) => Promise<Response>`. */
export type StatusHandler = (request: Request) => Promise<Response>;

/** Routing knobs for the adapters built on the dispatcher. */
export interface DispatchOptions {
  /** Canonical prefix the host router already matched (a Hono mount point). */
  mountPrefix?: string;
  /** Answer `undefined` instead of 404/400 for paths that are not ours. */
  fallthrough?: boolean;
}

/** The core of every adapter; `undefined` only with `fallthrough` for a path that is not ours. */
export interface StatusDispatcher {
  dispatch: (request: Request, options?: DispatchOptions) => Promise<Response | undefined>;
  /** The same answer before it becomes a Response, for adapters that write to a socket themselves. */
  reply: (request: Request, options?: DispatchOptions) => Promise<Reply | undefined>;
  /** True when a raw path (still encoded) names one of the routes, so an adapter can pass others on. */
  owns: (rawPath: string) => boolean;
}

const READ_METHODS = 'GET, HEAD';

/** Builds the dispatcher shared by the fetch handler, the Hono app and the Node adapters. */
export function createStatusDispatcher(options: StatusAppOptions): StatusDispatcher {
  const config = resolveOptions(options);
  const { health, metrics } = config;
  const createdAt = Date.now();
  const table = createRouteTable(
    config.basePath,
    (route) => {
      if (route.name === 'status') return health !== undefined && metrics !== undefined;
      if (route.name === 'metrics' || route.name === 'metricsJson') return metrics !== undefined;
      if (route.name === 'dashboard') return true;
      return health !== undefined;
    },
    config.dashboardPath === undefined ? [] : dashboardRoutes(config.dashboardPath),
  );
  const allow = config.cors ? `${READ_METHODS}, OPTIONS` : READ_METHODS;

  function json(status: number, value: unknown, extra: HeaderRecord | undefined): Reply {
    const body = toJson(value, (key) =>
      config.report(new OgfError('ERR_OGF_NON_FINITE_NUMBER', `@ogf/status-http: a non-finite number in "${key}" was sent as a string`)),
    );
    return { status, headers: baseHeaders(JSON_CONTENT_TYPE, extra), body };
  }

  function sourceFailed(code: 'ERR_OGF_HEALTH_SOURCE_FAILED' | 'ERR_OGF_METRICS_SOURCE_FAILED', route: RouteName, cause: unknown): void {
    config.report(
      new OgfError(
        code,
        `@ogf/status-http: the ${code === 'ERR_OGF_HEALTH_SOURCE_FAILED' ? 'health' : 'metrics'} source failed while serving ${route}`,
        { cause },
      ),
    );
  }

  function verdict(report: HealthReport): HealthStatus {
    if (isHealthStatus(report.status)) return report.status;
    config.report(
      new OgfError(
        'ERR_OGF_INVALID_HEALTH_STATUS',
        `@ogf/status-http: the health source returned status ${JSON.stringify(report.status)}; answering unhealthy`,
      ),
    );
    return 'unhealthy';
  }

  async function readHealth(name: RouteName): Promise<HealthReport> {
    const source = health as NonNullable<typeof health>;
    const report = await (name === 'live' ? source.live() : name === 'ready' ? source.ready() : source.report());
    if (typeof report !== 'object' || report === null) throw new TypeError('the health source returned no report');
    return report;
  }

  // Concurrent scrapes share one collection: 50 scrapers arriving together cost one render per
  // format (and one summary), not 50, which keeps the event loop free for the probes.
  const renders = new Map<ExpositionFormat, Promise<Exposition>>();
  let summaryInFlight: Promise<BatchSummary> | undefined;

  function sharedRender(accept: string | null, format: ExpositionFormat): Promise<Exposition> {
    let pending = renders.get(format);
    if (!pending) {
      const source = metrics as NonNullable<typeof metrics>;
      pending = Promise.resolve()
        .then(async () => {
          const rendered = await source.render({ accept, format });
          if (typeof rendered?.body !== 'string' || typeof rendered.contentType !== 'string') {
            throw new TypeError('the metrics source rendered no { contentType, body }');
          }
          return rendered;
        })
        .finally(() => renders.delete(format));
      renders.set(format, pending);
    }
    return pending;
  }

  async function renderStreamed(accept: string | null, format: ExpositionFormat): Promise<StreamedExposition> {
    const source = metrics as NonNullable<typeof metrics> & Required<Pick<MetricsSource, 'renderStream'>>;
    const rendered = await source.renderStream({ accept, format });
    if (typeof rendered?.contentType !== 'string' || typeof rendered.body?.getReader !== 'function') {
      throw new TypeError('the metrics source streamed no { contentType, body: ReadableStream }');
    }
    return rendered;
  }

  async function readSummary(): Promise<BatchSummary> {
    const source = metrics as NonNullable<typeof metrics>;
    summaryInFlight ??= Promise.resolve()
      .then(() => source.summary())
      .finally(() => (summaryInFlight = undefined));
    const summary = await summaryInFlight;
    if (typeof summary !== 'object' || summary === null) throw new TypeError('the metrics source returned no summary');
    return summary;
  }

  async function serveHealth(route: StatusRoute, audience: Audience, extra: HeaderRecord | undefined): Promise<Reply> {
    let report: HealthReport;
    try {
      report = await readHealth(route.name);
    } catch (cause) {
      sourceFailed('ERR_OGF_HEALTH_SOURCE_FAILED', route.name, cause);
      const status = 'unhealthy';
      const fallback = {
        status,
        timestamp: new Date().toISOString(),
        system_uptime_seconds: Math.floor((Date.now() - createdAt) / 1000),
        checks: {},
        overall_status: status,
      };
      return json(503, fallback, extra);
    }
    const status = verdict(report);
    return json(status === 'unhealthy' ? 503 : 200, healthBody(report, status, audience), extra);
  }

  async function serveStatus(route: StatusRoute, audience: Audience, extra: HeaderRecord | undefined): Promise<Reply> {
    const [report, summary] = await Promise.allSettled([readHealth('health'), readSummary()]);
    if (report.status === 'rejected') sourceFailed('ERR_OGF_HEALTH_SOURCE_FAILED', route.name, report.reason);
    if (summary.status === 'rejected') sourceFailed('ERR_OGF_METRICS_SOURCE_FAILED', route.name, summary.reason);
    if (report.status === 'rejected' || summary.status === 'rejected') return errorReply(503, 'source_unavailable', extra);
    const body = statusBody(config.service, report.value, verdict(report.value), summary.value, audience, new Date());
    return json(200, body, extra);
  }

  async function serveMetricsJson(route: StatusRoute, extra: HeaderRecord | undefined): Promise<Reply> {
    try {
      return json(200, await readSummary(), extra);
    } catch (cause) {
      sourceFailed('ERR_OGF_METRICS_SOURCE_FAILED', route.name, cause);
      return errorReply(503, 'source_unavailable', extra);
    }
  }

  async function serveMetrics(route: StatusRoute, request: Request, extra: HeaderRecord | undefined): Promise<Reply> {
    const accept = request.headers.get('accept');
    const format = negotiateFormat(accept);
    try {
      // GET streams when the source can (it shares concurrent renders itself); HEAD keeps the
      // string path for its Content-Length, as do sources with `render` only.
      const rendered =
        request.method === 'GET' && metrics?.renderStream ? await renderStreamed(accept, format) : await sharedRender(accept, format);
      const headers = baseHeaders(rendered.contentType, extra);
      headers.vary = headers.vary ? `Accept, ${headers.vary}` : 'Accept';
      return { status: 200, headers, body: rendered.body };
    } catch (cause) {
      sourceFailed('ERR_OGF_METRICS_SOURCE_FAILED', route.name, cause);
      return errorReply(503, 'source_unavailable', extra);
    }
  }

  const serveDashboard = createDashboardServer(config);

  function corsHeaders(request: Request): HeaderRecord | undefined {
    const cors = config.cors;
    if (!cors) return undefined;
    const origin = request.headers.get('origin');
    if (origin === null || !(cors.anyOrigin || cors.origins.has(origin))) return undefined;
    return cors.anyOrigin ? { 'access-control-allow-origin': '*' } : { 'access-control-allow-origin': origin, vary: 'Origin' };
  }

  async function reply(request: Request, options: DispatchOptions = {}): Promise<Reply | undefined> {
    const match = table.match(rawPathOf(request.url), options.mountPrefix);
    const method = request.method;
    const head = method === 'HEAD';
    if (typeof match === 'string') {
      if (options.fallthrough) return undefined;
      return match === 'malformed' ? errorReply(400, 'bad_request') : errorReply(404, 'not_found');
    }
    const cors = corsHeaders(request);
    if (method !== 'GET' && !head) {
      if (method === 'OPTIONS' && config.cors) {
        const preflight = cors && {
          ...cors,
          'access-control-allow-methods': READ_METHODS,
          'access-control-allow-headers': 'Authorization',
          'access-control-max-age': '600',
        };
        return { status: 204, headers: { 'cache-control': 'no-store', allow, ...preflight }, body: null };
      }
      return errorReply(405, 'method_not_allowed', { allow, ...cors });
    }
    let authorized = false;
    if (config.verifyToken) {
      const authorization = request.headers.get('authorization');
      if (match.protected || authorization !== null) authorized = await config.verifyToken(authorization);
      if (match.protected && !authorized) {
        const challenge = authorization === null ? 'Bearer realm="status"' : 'Bearer realm="status", error="invalid_token"';
        return errorReply(401, 'unauthorized', { 'www-authenticate': challenge, ...cors });
      }
    }
    const audience: Audience = { authorized, publicDetails: config.publicDetails };
    switch (match.name) {
      case 'dashboard':
        return serveDashboard(match);
      case 'metrics':
        return serveMetrics(match, request, cors);
      case 'metricsJson':
        return serveMetricsJson(match, cors);
      case 'status':
        return serveStatus(match, audience, cors);
      default:
        return serveHealth(match, audience, cors);
    }
  }

  return {
    reply,
    dispatch: async (request, options) => {
      const answer = await reply(request, options);
      return answer && toResponse(answer, request.method === 'HEAD');
    },
    owns: (rawPath) => typeof table.match(rawPath) !== 'string',
  };
}

/**
 * The status routes as a Web-standard handler, for `export default { fetch }` on Bun, Deno and
 * Cloudflare Workers, or any server that speaks Request/Response.
 *
 * @example
 * const handler = createStatusHandler({ health: checker, metrics: source, token: process.env.STATUS_TOKEN });
 * export default { fetch: handler };
 */
export function createStatusHandler(options: StatusAppOptions): StatusHandler {
  const { dispatch } = createStatusDispatcher(options);
  return (request) => dispatch(request) as Promise<Response>;
}
