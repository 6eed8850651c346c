// Routing and authorisation both run on ONE canonical form of the path, so no spelling of a
// protected route (`/metrics/`, `//metrics`, `/METRICS`, `/%6Detrics`, `/metrics;x`) can reach a
// handler without the token check that its canonical form gets.

/** What a route serves. */
export type RouteName = 'health' | 'live' | 'ready' | 'status' | 'metrics' | 'metricsJson' | 'dashboard';

/** One route of OffGridFlow's HTTP surface. */
export interface StatusRoute {
  path: string;
  name: RouteName;
  /** Guarded by the bearer token when one is configured. */
  protected: boolean;
}

/** OffGridFlow's routes, each also under `/api/v1` as OffGridFlow lists them. */
export const STATUS_ROUTES: readonly StatusRoute[] = [
  { path: '/health', name: 'health', protected: false },
  { path: '/health/live', name: 'live', protected: false },
  { path: '/health/ready', name: 'ready', protected: false },
  { path: '/status', name: 'status', protected: true },
  { path: '/metrics', name: 'metrics', protected: true },
  { path: '/metrics/json', name: 'metricsJson', protected: true },
  { path: '/api/v1/health', name: 'health', protected: false },
  { path: '/api/v1/health/live', name: 'live', protected: false },
  { path: '/api/v1/health/ready', name: 'ready', protected: false },
  { path: '/api/v1/status', name: 'status', protected: true },
  { path: '/api/v1/metrics/prometheus', name: 'metrics', protected: true },
  { path: '/api/v1/metrics', name: 'metricsJson', protected: true },
];

/** The path of an absolute URL string, still percent-encoded, without query or fragment. */
export function rawPathOf(url: string): string {
  // An origin-form target ('/metrics?x') starts with the path; an absolute URL after its authority.
  const start = url.charCodeAt(0) === 47 /* / */ ? 0 : url.indexOf('/', url.indexOf('://') + 3);
  if (start === -1) return '/';
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code === 63 /* ? */ || code === 35 /* # */) {
      end = i;
      break;
    }
  }
  return url.slice(start, end);
}

/**
 * The canonical form of a request path: percent-decoded once, `;params` dropped from every
 * segment, empty and `.` segments removed, `..` resolved, lower-cased, no trailing slash.
 * `undefined` when the percent-encoding is malformed.
 */
export function canonicalPath(path: string): string | undefined {
  let decoded: string;
  try {
    decoded = path.includes('%') ? decodeURIComponent(path) : path;
  } catch {
    return undefined;
  }
  const segments: string[] = [];
  for (const piece of decoded.split(/[/\\]/)) {
    const semicolon = piece.indexOf(';');
    const segment = (semicolon === -1 ? piece : piece.slice(0, semicolon)).toLowerCase();
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** Result of matching a path: a route, no route, or a path that cannot be decoded. */
export type RouteMatch = StatusRoute | 'none' | 'malformed';

/** Looks paths up in the routes under one base path. */
export interface RouteTable {
  /** Matches a raw (still encoded) path, after stripping the canonical `mountPrefix`. */
  match(rawPath: string, mountPrefix?: string): RouteMatch;
}

/** The dashboard page's two routes: `path` and `/api/v1` + `path`; public, the page holds no data. */
export function dashboardRoutes(path: string): StatusRoute[] {
  return [
    { path, name: 'dashboard', protected: false },
    { path: `/api/v1${path}`, name: 'dashboard', protected: false },
  ];
}

/** Builds the lookup for the routes whose sources exist (and any `extra` ones), under `basePath`. */
export function createRouteTable(
  basePath: string,
  enabled: (route: StatusRoute) => boolean,
  extra: readonly StatusRoute[] = [],
): RouteTable {
  const byCanonical = new Map<string, StatusRoute>();
  for (const route of [...STATUS_ROUTES, ...extra]) {
    if (!enabled(route)) continue;
    byCanonical.set(canonicalPath(`${basePath}${route.path}`) ?? route.path, route);
  }
  return {
    match(rawPath, mountPrefix = '') {
      if (mountPrefix === '') {
        const exact = byCanonical.get(rawPath);
        if (exact) return exact;
      }
      let canonical = canonicalPath(rawPath);
      if (canonical === undefined) return 'malformed';
      if (mountPrefix !== '' && mountPrefix !== '/') {
        if (!canonical.startsWith(`${mountPrefix}/`)) return 'none';
        canonical = canonical.slice(mountPrefix.length);
      }
      return byCanonical.get(canonical) ?? 'none';
    },
  };
}
