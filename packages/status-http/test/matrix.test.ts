import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '@ogf/core';
import { CORS_ORIGIN, MATRIX_TOKEN, SERVICE } from './fixtures/matrix-setup.js';
import { startTarget, TARGETS, type MatrixTarget } from './matrix.js';

const AUTH = { authorization: `Bearer ${MATRIX_TOKEN}` };
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

const HEALTH_KEYS = ['status', 'timestamp', 'system_uptime_seconds', 'checks', 'overall_status'];
const SUMMARY_KEYS = [
  'timestamp',
  'batches_submitted',
  'batches_processing',
  'batches_completed',
  'batches_failed',
  'batches_cancelled',
  'activities_total',
  'activities_success',
  'activities_failed',
  'workers_active',
  'workers_capacity',
  'worker_utilization_percent',
  'queue_size',
  'success_rate',
  'total_emissions',
  'errors_by_type',
  'lock_acquisitions',
  'lock_timeouts',
  'retry_attempts',
  'retry_successes',
  'state_transitions',
  'average_processing_time_seconds',
  'average_emissions_per_batch',
  'batches_per_second',
  'activities_per_second',
  'batch_latency_seconds',
  'activity_latency_seconds',
];

// [path, expected status, needs the token]
const ROUTES: [string, number, boolean][] = [
  ['/health', 200, false],
  ['/health/live', 200, false],
  ['/health/ready', 200, false],
  ['/status', 200, true],
  ['/metrics', 200, true],
  ['/metrics/json', 200, true],
  ['/api/v1/health', 200, false],
  ['/api/v1/health/live', 200, false],
  ['/api/v1/health/ready', 200, false],
  ['/api/v1/status', 200, true],
  ['/api/v1/metrics/prometheus', 200, true],
  ['/api/v1/metrics', 200, true],
];
const PROTECTED = ROUTES.filter(([, , guarded]) => guarded).map(([path]) => path);
const VARIANTS = [
  '/metrics/',
  '//metrics',
  '/METRICS',
  '/%6Detrics',
  '/metrics;x',
  '/metrics/.',
  '/Status/',
  '/metrics%2Fjson',
  '/api//v1/metrics',
  '/api/v1/%53tatus;a=b/',
];

describe.each(TARGETS)('the status routes on %s', (name) => {
  let target: MatrixTarget;
  beforeAll(async () => {
    target = await startTarget(name);
  }, 120_000);
  afterAll(async () => {
    await target?.stop();
  });
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => target.fetch(path, { headers });

  it.each(ROUTES)('answers GET %s with %i, no-store and no CORS headers', async (path, status, guarded) => {
    const response = await get(path, { ...(guarded ? AUTH : {}), origin: CORS_ORIGIN });
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const type = response.headers.get('content-type');
    expect(type).toBe(path.includes('prometheus') || path === '/metrics' ? TEXT_CONTENT_TYPE : 'application/json');
    expect((await response.text()).length).toBeGreaterThan(0);
  });

  it('serves the seed health body field for field, without check details for a public caller', async () => {
    const body = await (await get('/health')).json();
    expect(Object.keys(body)).toEqual(HEALTH_KEYS);
    expect(body).toMatchObject({ status: 'degraded', overall_status: 'degraded' });
    expect(Number.isInteger(body.system_uptime_seconds)).toBe(true);
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(Object.keys(body.checks.cache)).toEqual(['name', 'status', 'message', 'duration_ms', 'checked_at', 'critical']);
    expect(body.checks.cache).toMatchObject({ name: 'cache', status: 'degraded', message: 'slow replies', critical: false });
    expect(Object.keys(body.checks.database)).toEqual(['name', 'status', 'duration_ms', 'checked_at', 'critical']);
    expect(typeof body.checks.database.duration_ms).toBe('number');
    expect(new Date(body.checks.database.checked_at).toISOString()).toBe(body.checks.database.checked_at);
  });

  it('shows check details to a caller with the token', async () => {
    const body = await (await get('/api/v1/health', AUTH)).json();
    expect(body.checks.cache.details).toEqual({ latency_ms: 250 });
    expect(body.checks.database.details).toEqual({ pool_size: 10 });
  });

  it('answers liveness without checks and readiness with them', async () => {
    expect(await (await get('/health/live')).json()).toMatchObject({ status: 'healthy', checks: {} });
    expect(Object.keys((await (await get('/health/ready')).json()).checks)).toEqual(['database', 'cache']);
  });

  it('answers 503 with an unhealthy body when a critical check fails, while liveness stays 200', async () => {
    for (const path of ['/sick/health', '/sick/health/ready', '/sick/api/v1/health']) {
      const response = await get(path);
      expect(response.status).toBe(503);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({
        status: 'unhealthy',
        overall_status: 'unhealthy',
        checks: { database: { status: 'unhealthy', message: 'connection_refused', critical: true } },
      });
      expect(text).not.toMatch(/S3cr3t|10\.0\.0\.5|postgres:/);
    }
    expect((await get('/sick/health/live')).status).toBe(200);
  });

  it('serves the seed status body field for field', async () => {
    const body = await (await get('/status', AUTH)).json();
    expect(Object.keys(body)).toEqual([
      'service_name',
      'service_version',
      'environment',
      'status',
      'uptime',
      'timestamp',
      'dependencies',
      'metrics',
    ]);
    expect(body).toMatchObject({
      service_name: SERVICE.name,
      service_version: SERVICE.version,
      environment: SERVICE.environment,
      status: 'degraded',
    });
    expect(Number.isInteger(body.uptime)).toBe(true);
    expect(body.dependencies).toEqual({
      database: { status: 'healthy', message: '' },
      cache: { status: 'degraded', message: 'slow replies' },
    });
    expect(body.metrics).toEqual({
      batches_submitted: 42,
      batches_processing: 2,
      batches_completed: 38,
      batches_failed: 2,
      workers_active: 3,
      queue_size: 5,
      success_rate: 97.8,
      total_emissions: 15000.5,
    });
  });

  it('serves the seed metrics JSON with every batch summary field', async () => {
    for (const path of ['/metrics/json', '/api/v1/metrics']) {
      const body = await (await get(path, AUTH)).json();
      expect(Object.keys(body)).toEqual(SUMMARY_KEYS);
      expect(body).toMatchObject({
        batches_submitted: 42,
        batches_processing: 2,
        batches_completed: 38,
        batches_failed: 2,
        activities_total: 450,
        activities_success: 440,
        activities_failed: 10,
        workers_active: 3,
        queue_size: 5,
        success_rate: 97.8,
        errors_by_type: { timeout: 5, database: 3, network: 2 },
        lock_acquisitions: 40,
        lock_timeouts: 1,
        retry_attempts: 6,
        retry_successes: 4,
        state_transitions: 124,
        // (38 completions of 1 s + 50 ms steps, failures of 0.9 and 0.7 s) / 40 batches
        average_processing_time_seconds: 1.86875,
        average_emissions_per_batch: 394.75,
      });
    }
  });

  it('negotiates OpenMetrics from Accept and falls back to text 0.0.4', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, TEXT_CONTENT_TYPE],
      ['text/plain', TEXT_CONTENT_TYPE],
      [PROMETHEUS_ACCEPT, OPENMETRICS_CONTENT_TYPE],
      ['application/openmetrics-text', OPENMETRICS_CONTENT_TYPE],
      ['application/openmetrics-text;version=1.0.0;q=0.1, text/plain;q=0.9', TEXT_CONTENT_TYPE],
      ['application/openmetrics-text;version=9.9.9', TEXT_CONTENT_TYPE],
      ['\u0000garbage;;;,,q=x/y', TEXT_CONTENT_TYPE],
    ];
    for (const [accept, contentType] of cases) {
      const response = await get('/api/v1/metrics/prometheus', {
        ...AUTH,
        ...(accept === undefined ? {} : { accept: accept.replace('\u0000', '') }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(contentType);
      expect(response.headers.get('vary')).toContain('Accept');
      const body = await response.text();
      expect(body.endsWith('# EOF\n')).toBe(contentType === OPENMETRICS_CONTENT_TYPE);
    }
  });

  it('streams GET /metrics from the source renderStream (no Content-Length) and keeps the length on HEAD', async () => {
    const response = await get('/metrics', AUTH);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.text()).toMatch(/^batch_submitted_total\{[^}]*\} 42$/m);
    const head = await target.fetch('/metrics', { method: 'HEAD', headers: AUTH });
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it('answers HEAD with the GET status and headers and no body', async () => {
    for (const [path, headers] of [
      ['/health/ready', {}],
      ['/metrics', AUTH],
      ['/status', {}],
      ['/sick/health', {}],
    ] as const) {
      const [getResponse, headResponse] = await Promise.all([get(path, headers), target.fetch(path, { method: 'HEAD', headers })]);
      expect(headResponse.status).toBe(getResponse.status);
      expect(headResponse.headers.get('content-type')).toBe(getResponse.headers.get('content-type'));
      expect(headResponse.headers.get('cache-control')).toBe('no-store');
      expect(await headResponse.text()).toBe('');
    }
  });

  it('answers other methods with 405 and Allow: GET, HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await target.fetch('/metrics', { method, headers: AUTH });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses the protected routes without the right token and leaves the probes anonymous', async () => {
    for (const path of PROTECTED) {
      const missing = await get(path);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="status"/);
      expect(missing.headers.get('cache-control')).toBe('no-store');
      expect(await missing.json()).toEqual({ error: 'unauthorized' });
      for (const wrong of [
        'x',
        MATRIX_TOKEN.slice(0, -1),
        `${MATRIX_TOKEN}0`,
        MATRIX_TOKEN.replace(/.$/, 'b'),
        MATRIX_TOKEN.toUpperCase(),
      ]) {
        expect((await get(path, { authorization: `Bearer ${wrong}` })).status).toBe(401);
      }
      expect((await get(path, { authorization: MATRIX_TOKEN })).status).toBe(401);
      expect((await get(path, { authorization: `Basic ${MATRIX_TOKEN}` })).status).toBe(401);
      expect((await get(path, { authorization: `bearer  ${MATRIX_TOKEN}` })).status).toBe(200);
    }
    for (const path of ['/health', '/health/live', '/health/ready', '/api/v1/health/live']) {
      expect((await get(path, { authorization: 'Bearer wrong' })).status).toBe(200);
    }
  });

  it.each(VARIANTS)('never serves the spelling %s without the token', async (variant) => {
    const anonymous = await get(variant);
    expect(anonymous.status).toBe(401);
    const authorised = await get(variant, AUTH);
    expect(authorised.status).toBe(200);
    expect(authorised.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the dashboard page, public, with its hash-based CSP and the data paths of its prefix', async () => {
    for (const path of ['/dashboard', '/api/v1/dashboard', '/sick/dashboard']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]{43}='; style-src 'sha256-/,
      );
      const html = await response.text();
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain(path === '/api/v1/dashboard' ? 'data-metrics="/metrics"' : 'data-metrics="/metrics/json"');
    }
  });

  it('answers unknown paths with 404', async () => {
    for (const path of ['/nope', '/metricsx', '/health/livez', '/api/v2/health']) {
      expect((await get(path, AUTH)).status).toBe(404);
    }
  });

  it('serves a base path, leaves routes open without a token, and sends CORS only for the configured origin', async () => {
    const open = await get('/sick/metrics/json', { origin: CORS_ORIGIN });
    expect(open.status).toBe(200);
    expect(open.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN);
    expect(open.headers.get('vary')).toContain('Origin');
    const stranger = await get('/sick/metrics/json', { origin: 'https://evil.example' });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await target.fetch('/sick/status', {
      method: 'OPTIONS',
      headers: { origin: CORS_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization');
  });
});
