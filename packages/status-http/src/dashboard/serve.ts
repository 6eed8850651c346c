// Answers the dashboard routes: the page for one route is built once (it differs only by where its
// data lives), then sent with the strict CSP, no referrer and no framing.
import type { ResolvedOptions } from '../options.js';
import type { StatusRoute } from '../paths.js';
import { baseHeaders, type Reply } from '../responses.js';
import { dashboardHtml, dashboardPolicy, type DashboardEndpoints } from './page.js';

/** Builds the reply function for the dashboard routes of one configuration. */
export function createDashboardServer(config: ResolvedOptions): (route: StatusRoute) => Promise<Reply> {
  const pages = new Map<string, string>();
  const { health, metrics } = config;

  function endpointsFor(route: StatusRoute): DashboardEndpoints {
    const api = route.path.startsWith('/api/v1/');
    // An empty endpoint tells the page the route is not served (no such source), so it never asks.
    return {
      depth: (config.dashboardPath ?? '').split('/').length - 1,
      metrics: metrics === undefined ? '' : api ? '/metrics' : '/metrics/json',
      status: metrics === undefined || health === undefined ? '' : '/status',
      health: health === undefined ? '' : '/health',
      tokenRequired: config.verifyToken !== undefined,
    };
  }

  return async (route) => {
    let html = pages.get(route.path);
    if (html === undefined) {
      html = dashboardHtml(endpointsFor(route), config.service.name);
      pages.set(route.path, html);
    }
    const headers = baseHeaders('text/html; charset=utf-8', {
      'content-security-policy': await dashboardPolicy(),
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    return { status: 200, headers, body: html };
  };
}
