// Request telemetry for Hono (a middleware) and for plain fetch handlers (a wrapper), both over the
// framework-neutral core.
import { context } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { createExpressAdapter } from './express.js';
import type { ExpressMiddleware } from './express.js';
import type { RequestScope, RequestTelemetryCore } from './request-telemetry.js';

/** A fetch handler: `(request, ...rest) => Response`, as Bun, Deno, workerd and `@hono/node-server` call it. */
export type FetchHandler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/** Options of `obs.requests.fetch`. */
export interface FetchTelemetryOptions {
  /** The route template of a request (`/api/v1/batches/:id`), never its raw path. Default: none (no `http.route`). */
  route?: (request: Request) => string | undefined;
}

/** What `obs.requests` offers. */
export interface RequestTelemetry {
  /** Hono middleware: `app.use(obs.requests.hono())`, before your routes. */
  hono(): MiddlewareHandler;
  /** Express (or Connect) middleware: `app.use(obs.requests.express())`, before your routes. */
  express(): ExpressMiddleware;
  /** Wraps a fetch handler: `export default { fetch: obs.requests.fetch(app.fetch) }`. */
  fetch<A extends unknown[]>(
    handler: FetchHandler<A>,
    options?: FetchTelemetryOptions,
  ): (request: Request, ...rest: A) => Promise<Response>;
}

function echo(headers: Headers, scope: RequestScope): void {
  try {
    headers.set(scope.header, scope.requestId);
  } catch {
    // Immutable headers (a Response passed through from fetch()): the id is still on span and log.
  }
}

/**
 * The Hono middleware and fetch wrapper over a request-telemetry core.
 *
 * @example
 * ```ts
 * const requests = createRequestAdapters(core);
 * app.use(requests.hono());
 * ```
 */
export function createRequestAdapters(core: RequestTelemetryCore): RequestTelemetry {
  return {
    express: () => createExpressAdapter(core),
    hono() {
      return async (c, next) => {
        const scope = core.begin(c.req.raw, c.req.path);
        if (scope === undefined) return next();
        // The middleware's own route index: still current after next() when no route matched.
        const own = c.req.routeIndex;
        try {
          await context.with(scope.context, next);
        } catch (error) {
          scope.end(500, undefined, error);
          throw error;
        }
        const route = c.req.routeIndex === own ? undefined : routePath(c);
        echo(c.res.headers, scope);
        scope.end(c.res.status, route, c.error);
      };
    },
    fetch(handler, options = {}) {
      return async (request, ...rest) => {
        const scope = core.begin(request);
        if (scope === undefined) return handler(request, ...rest);
        let route: string | undefined;
        try {
          route = options.route?.(request);
        } catch {
          route = undefined;
        }
        let response: Response;
        try {
          response = await context.with(scope.context, () => handler(request, ...rest));
        } catch (error) {
          scope.end(500, route, error);
          throw error;
        }
        echo(response.headers, scope);
        scope.end(response.status, route);
        return response;
      };
    },
  };
}
