// Request telemetry, framework-neutral: `begin` opens a request (server span continuing or linking
// the caller's trace, request id, in-flight gauge) and returns the context to run the handler in;
// `end` records the duration histogram, finishes the span and writes the access log line. The Hono
// middleware and the fetch-handler wrapper are thin layers over it.
import { SpanKind, SpanStatusCode, ValueType, context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, MeterProvider, Span, TracerProvider } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { canonicalPath, resolveRequestOptions } from './options.js';
import type { RequestTelemetryOptions, ResolvedRequestOptions } from './options.js';
import { acceptRequestId, generateRequestId, withRequestId } from './request-id.js';
import { REQUEST_ID_ATTRIBUTE } from './span-processor.js';
import { incomingSpanContext } from './trace-context.js';

const SCOPE = '@ogf/observability';
/** Bucket boundaries the OTel HTTP semantic conventions advise for `http.server.request.duration`. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
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
  const inFlight = new Map<string, { attributes: Attributes; count: number }>();
  meter
    .createObservableUpDownCounter('http.server.active_requests', {
      description: 'Number of active HTTP server requests.',
      unit: '{request}',
      valueType: ValueType.INT,
    })
    .addCallback((result) => {
      for (const entry of inFlight.values()) result.observe(entry.count, entry.attributes);
    });
  const inFlightEntry = (method: string, scheme: string): { attributes: Attributes; count: number } => {
    const key = `${method} ${scheme}`;
    let entry = inFlight.get(key);
    if (entry === undefined) {
      entry = { attributes: { 'http.request.method': method, 'url.scheme': scheme }, count: 0 };
      inFlight.set(key, entry);
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
      let parent = withRequestId(context.active(), requestId);
      const links: Link[] = [];
      if (incoming !== undefined && resolved.trust) parent = trace.setSpanContext(parent, incoming);
      else if (incoming !== undefined) links.push({ context: incoming });
      const span: Span = tracer.startSpan(
        method,
        {
          kind: SpanKind.SERVER,
          root: incoming === undefined || !resolved.trust,
          links,
          attributes: {
            'http.request.method': method,
            'url.path': path,
            'url.scheme': scheme,
            [REQUEST_ID_ATTRIBUTE]: requestId,
          },
        },
        parent,
      );
      const scopeContext = trace.setSpan(parent, span);
      const requests = inFlightEntry(method, scheme);
      requests.count += 1;
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
          requests.count -= 1;
          const attributes: Attributes = { 'http.request.method': method, 'url.scheme': scheme, 'http.response.status_code': status };
          if (route !== undefined) attributes['http.route'] = route;
          if (status >= 500) attributes['error.type'] = String(status);
          duration.record(seconds, attributes);
          span.setAttribute('http.response.status_code', status);
          if (route !== undefined) span.setAttribute('http.route', route);
          if (status >= 500) span.setAttribute('error.type', String(status));
          if (route !== undefined) span.updateName(`${method} ${route}`);
          if (error !== undefined) span.recordException(error instanceof Error ? error : { message: 'non-Error thrown' });
          if (status >= 500 || error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          if (!resolved.accessLog) return;
          try {
            context.with(scopeContext, () => {
              parts.logger.info(
                {
                  event: 'http.request',
                  method,
                  path: path.length > 256 ? `${path.slice(0, 256)}…` : path,
                  ...(route === undefined ? {} : { route }),
                  status,
                  duration_ms: Math.round(seconds * 1e6) / 1e3,
                },
                'request',
              );
            });
          } catch {
            // A broken log destination never fails the request.
          }
        },
      };
    },
  };
}
