// Request telemetry, framework-neutral: `begin` opens a request (server span continuing or linking
// the caller's trace, request id, in-flight gauge) and returns the context to run the handler in;
// `end` records the duration histogram, finishes the span and writes the access log line. The Hono
// middleware and the fetch-handler wrapper are thin layers over it.
import { SpanKind, SpanStatusCode, ValueType, context, trace } from '@opentelemetry/api';
import type { Attributes, Context, MeterProvider, Span, TracerProvider } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { writeAccessLog } from './access-log.js';
import { canonicalPath, resolveRequestOptions } from './options.js';
import type { RequestTelemetryOptions, ResolvedRequestOptions } from './options.js';
import { acceptRequestId, generateRequestId, withRequestId } from './request-id.js';
import { incomingSpanContext } from './trace-context.js';

const SCOPE = '@ogf/observability';
/** Bucket boundaries the OTel HTTP semantic conventions advise for `http.server.request.duration`. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Outcomes (status × route) whose attributes are kept per method and scheme; the SDK's default cardinality limit. */
const MAX_CACHED_OUTCOMES = 2000;
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** What the core reads of a request: a fetch `Request`, or the Express adapter's view of a Node request. */
export interface RequestLike {
  readonly method: string;
  /** Absolute URL. */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** One request being observed. */
export interface RequestScope {
  /** Run the handler in this context: spans it starts are children of the server span. */
  readonly context: Context;
  readonly requestId: string;
  /** The header to echo the id in. */
  readonly header: string;
  /** Records the outcome; `route` is the route template (never the raw path), `undefined` when none matched. */
  end(status: number, route: string | undefined, error?: unknown): void;
}

/** The framework-neutral core. */
export interface RequestTelemetryCore {
  /** Opens a request; `undefined` when its path is excluded. `path`: the URL's path when the caller already has it. */
  begin(request: RequestLike, path?: string): RequestScope | undefined;
}

/** What the core needs from `createObservability`. */
export interface RequestTelemetryParts {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  logger: Logger;
}

function methodOf(method: string): string {
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

/** The path (no query) and scheme of an absolute URL, without a full URL parse on the hot path. */
function urlParts(url: string): { path: string; scheme: string } {
  const colon = url.indexOf(':');
  const scheme = colon > 0 ? url.slice(0, colon).toLowerCase() : 'http';
  const authority = url.indexOf('//', colon);
  const start = authority === -1 ? -1 : url.indexOf('/', authority + 2);
  if (start === -1) return { path: '/', scheme };
  const query = url.indexOf('?', start);
  const hash = url.indexOf('#', start);
  const end = Math.min(query === -1 ? url.length : query, hash === -1 ? url.length : hash);
  return { path: url.slice(start, end), scheme };
}

/** The outcome key of a request no route matched. */
const NO_ROUTE = Symbol('no route');

/** One method and scheme: its in-flight count and the duration attributes of each outcome seen so far. */
interface Series {
  readonly attributes: Attributes;
  active: number;
  /**
   * status → route (NO_ROUTE for none) → frozen attributes, reused by every request with that outcome.
   * Keyed by the number and the route string as they come, so a lookup builds no key string.
   */
  readonly outcomes: Map<number, Map<string | symbol, Attributes>>;
  /** Outcomes kept so far (bounded: routes × statuses, at most MAX_CACHED_OUTCOMES). */
  cached: number;
}

/**
 * The duration histogram's attributes for one outcome, made once and reused: the SDK and the exemplar
 * reservoir then see the same object, and a request allocates none.
 */
function outcomeAttributes(entry: Series, method: string, scheme: string, status: number, route: string | undefined): Attributes {
  let byRoute = entry.outcomes.get(status);
  if (byRoute === undefined) {
    byRoute = new Map();
    entry.outcomes.set(status, byRoute);
  }
  let attributes = byRoute.get(route ?? NO_ROUTE);
  if (attributes === undefined) {
    const fresh: Attributes = { 'http.request.method': method, 'url.scheme': scheme, 'http.response.status_code': status };
    if (route !== undefined) fresh['http.route'] = route;
    if (status >= 500) fresh['error.type'] = String(status);
    attributes = Object.freeze(fresh);
    // A route callback that returns raw paths must not grow this without bound (the SDK caps its series too).
    if (entry.cached < MAX_CACHED_OUTCOMES) {
      byRoute.set(route ?? NO_ROUTE, attributes);
      entry.cached += 1;
    }
  }
  return attributes;
}

/**
 * Builds the request-telemetry core on the given providers and logger.
 *
 * @example
 * ```ts
 * const core = createRequestTelemetryCore({ tracerProvider, meterProvider, logger });
 * const scope = core.begin(request);
 * ```
 */
export function createRequestTelemetryCore(parts: RequestTelemetryParts, options: RequestTelemetryOptions = {}): RequestTelemetryCore {
  const resolved: ResolvedRequestOptions = resolveRequestOptions(options);
  const tracer = parts.tracerProvider.getTracer(SCOPE);
  const meter = parts.meterProvider.getMeter(SCOPE);
  const duration = meter.createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  // In-flight requests are counted here and read at collect time (an asynchronous UpDownCounter: the
  // same series in Prometheus and OTLP), so a request costs two integer updates instead of two
  // synchronous `add` calls, each of which hashes its attribute set in the SDK.
  const series = new Map<string, Series>();
  meter
    .createObservableUpDownCounter('http.server.active_requests', {
      description: 'Number of active HTTP server requests.',
      unit: '{request}',
      valueType: ValueType.INT,
    })
    .addCallback((result) => {
      for (const entry of series.values()) result.observe(entry.active, entry.attributes);
    });
  const seriesOf = (method: string, scheme: string): Series => {
    const key = `${method} ${scheme}`;
    let entry = series.get(key);
    if (entry === undefined) {
      entry = {
        attributes: Object.freeze({ 'http.request.method': method, 'url.scheme': scheme }),
        active: 0,
        outcomes: new Map(),
        cached: 0,
      };
      series.set(key, entry);
    }
    return entry;
  };

  return {
    begin(request, knownPath) {
      const url = urlParts(request.url);
      const path = knownPath ?? url.path;
      const scheme = url.scheme;
      if (resolved.excluded.has(canonicalPath(path))) return undefined;
      const method = methodOf(request.method);
      const requestId = acceptRequestId(request.headers.get(resolved.header)) ?? generateRequestId();
      const incoming = incomingSpanContext(request.headers);
      // The request id goes on the server span (and every span under it) through the request-id span processor.
      let parent = withRequestId(context.active(), requestId);
      if (incoming !== undefined && resolved.trust) parent = trace.setSpanContext(parent, incoming);
      const span: Span = tracer.startSpan(
        method,
        {
          kind: SpanKind.SERVER,
          root: incoming === undefined || !resolved.trust,
          ...(incoming !== undefined && !resolved.trust ? { links: [{ context: incoming }] } : {}),
          attributes: { 'http.request.method': method, 'url.path': path, 'url.scheme': scheme },
        },
        parent,
      );
      const scopeContext = trace.setSpan(parent, span);
      const entry = seriesOf(method, scheme);
      entry.active += 1;
      const started = performance.now();
      let ended = false;

      return {
        context: scopeContext,
        requestId,
        header: resolved.header,
        end(status, route, error) {
          if (ended) return;
          ended = true;
          const seconds = (performance.now() - started) / 1000;
          entry.active -= 1;
          duration.record(seconds, outcomeAttributes(entry, method, scheme, status, route));
          span.setAttribute('http.response.status_code', status);
          if (route !== undefined) {
            span.setAttribute('http.route', route);
            span.updateName(`${method} ${route}`);
          }
          if (status >= 500) span.setAttribute('error.type', String(status));
          if (error !== undefined) span.recordException(error instanceof Error ? error : { message: 'non-Error thrown' });
          if (status >= 500 || error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          if (resolved.accessLog) writeAccessLog(parts.logger, span, requestId, { method, path, route, status, seconds });
        },
      };
    },
  };
}
