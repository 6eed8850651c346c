// Request telemetry as Express (and Connect) middleware, over the same core as the Hono one. Typed
// structurally, so it needs neither Express's types nor Node's at run time.
import { context } from '@opentelemetry/api';
import type { RequestTelemetryCore } from './request-telemetry.js';

/** The part of an Express request the middleware reads. */
export interface ExpressRequestLike {
  method: string;
  originalUrl?: string;
  url?: string;
  protocol?: string;
  headers: Record<string, string | string[] | undefined>;
  baseUrl?: string;
  route?: { path?: unknown };
}

/** The part of an Express response the middleware uses. */
export interface ExpressResponseLike {
  statusCode: number;
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/** Express middleware: `(req, res, next) => void`. */
export type ExpressMiddleware = (request: ExpressRequestLike, response: ExpressResponseLike, next: (error?: unknown) => void) => void;

/** Express's route template of a handled request (`/api/v1/batches/:id`), or `undefined` when no route matched. */
function routeOf(request: ExpressRequestLike): string | undefined {
  const path = request.route?.path;
  if (typeof path !== 'string') return undefined;
  const base = request.baseUrl ?? '';
  // A router's root route under a mount point is the mount point itself: `/api/v1/batches`, not `…/batches/`.
  return base !== '' && path === '/' ? base : `${base}${path}`;
}

/**
 * The Express middleware over a request-telemetry core (use `obs.requests.express()`).
 *
 * @example
 * ```ts
 * app.use(createExpressAdapter(core));
 * ```
 */
export function createExpressAdapter(core: RequestTelemetryCore): ExpressMiddleware {
  return (request, response, next) => {
    const target = request.originalUrl ?? request.url ?? '/';
    const host = request.headers.host;
    const scope = core.begin({
      method: request.method,
      url: `${request.protocol ?? 'http'}://${typeof host === 'string' ? host : 'localhost'}${target}`,
      headers: {
        get(name) {
          const value = request.headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(',') : value;
        },
      },
    });
    if (scope === undefined) {
      next();
      return;
    }
    if (!response.headersSent) response.setHeader(scope.header, scope.requestId);
    const done = (): void => scope.end(response.statusCode, routeOf(request));
    response.once('finish', done);
    // A client that goes away before the answer: the request still ends (end() runs once).
    response.once('close', done);
    context.with(scope.context, next);
  };
}
