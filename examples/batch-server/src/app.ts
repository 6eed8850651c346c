// The HTTP application: the batch API plus whatever the observability layer serves
// (health, status, metrics), with JSON answers for unknown routes and unexpected errors.
import { Hono, type MiddlewareHandler } from 'hono';
import { batchRoutes } from './api/routes.ts';
import { errorResponse } from './api/errors.ts';
import type { BatchService } from './service.ts';
import type { Logger } from './telemetry/telemetry.ts';

export function createApp(options: {
  service: BatchService;
  /** Serve /api/v1/batches (default true; a worker-only process does not). */
  batchApi?: boolean;
  maxBodyBytes: number;
  apiToken?: string | undefined;
  logger: Logger;
  observabilityApp?: Hono | undefined;
  /** Mounted first, so it sees every request (and the status routes it leaves out by default). */
  requestTelemetry?: MiddlewareHandler | undefined;
}): Hono {
  const app = new Hono();
  if (options.requestTelemetry) app.use(options.requestTelemetry);
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store');
    // Every body is JSON or Prometheus text: browsers must not guess otherwise.
    if (!c.res.headers.has('x-content-type-options')) c.header('X-Content-Type-Options', 'nosniff');
  });
  // A person who opens the server's root in a browser lands on the live dashboard.
  if (options.observabilityApp) app.get('/', (c) => c.redirect('/dashboard', 302));
  if (options.batchApi !== false)
    app.route('/api/v1/batches', batchRoutes(options.service, { maxBodyBytes: options.maxBodyBytes, apiToken: options.apiToken }));
  if (options.observabilityApp) app.route('/', options.observabilityApp);
  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    options.logger.error({ err: error.message, path: c.req.path }, 'request failed');
    return errorResponse(c, 500, 'internal', 'internal error');
  });
  return app;
}
