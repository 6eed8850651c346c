import { Hono } from 'hono';
import { createStatusDispatcher } from './handler.js';
import type { StatusAppOptions } from './options.js';
import { canonicalPath } from './paths.js';
import { baseHeaders, JSON_CONTENT_TYPE } from './responses.js';

/** The canonical prefix Hono matched before our `*` middleware: '' at the root, '/ops' under `route('/ops', …)`. */
function mountPrefixOf(routePath: string, cache: Map<string, string>): string {
  let prefix = cache.get(routePath);
  if (prefix === undefined) {
    const stripped = routePath.endsWith('*') ? routePath.slice(0, -1) : routePath;
    prefix = canonicalPath(stripped) ?? '';
    if (prefix === '/') prefix = '';
    cache.set(routePath, prefix);
  }
  return prefix;
}

/**
 * The status routes as a Hono app: mount it with `app.route('/', createStatusApp(options))`, or
 * serve it on its own (`export default createStatusApp(options)` on Bun, Deno and Workers).
 * Paths that are not status routes fall through to the host app.
 *
 * @example
 * const app = new Hono();
 * app.route('/', createStatusApp({ health: checker, metrics: source, service: { name: 'batch-api', version: '1.4.0', environment: 'production' } }));
 */
export function createStatusApp(options: StatusAppOptions): Hono {
  const { dispatch } = createStatusDispatcher(options);
  const prefixes = new Map<string, string>();
  const app = new Hono();
  app.use('*', async (c, next) => {
    const mountPrefix = mountPrefixOf(c.req.routePath, prefixes);
    const response = await dispatch(c.req.raw, { mountPrefix, fallthrough: true });
    if (response) return response;
    await next();
  });
  app.notFound(() => new Response('{"error":"not_found"}', { status: 404, headers: baseHeaders(JSON_CONTENT_TYPE) }));
  app.onError(() => new Response('{"error":"internal_error"}', { status: 500, headers: baseHeaders(JSON_CONTENT_TYPE) }));
  return app;
}
