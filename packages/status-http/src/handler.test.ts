import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthReport, HealthSource, MetricsSource, OgfError, StatusAppOptions } from './index.js';
import { createStatusApp, createStatusHandler, isOgfError } from './index.js';
import { degradedHealth, seedMetrics, seedSummary } from '../test/fixtures/sources.js';

const get = (
  handler: (r: Request) => Promise<Response> | Response,
  path: string,
  headers: Record<string, string> = {},
): Promise<Response> => Promise.resolve(handler(new Request(`http://status.test${path}`, { headers })));

function collectErrors(): { errors: OgfError[]; onError: (error: OgfError) => void } {
  const errors: OgfError[] = [];
  return { errors, onError: (error) => errors.push(error) };
}

function healthWith(report: Partial<HealthReport> & Record<string, unknown>): HealthSource {
  const full = { timestamp: '2025-12-04T10:00:00.000Z', system_uptime_seconds: 5, checks: {}, ...report } as HealthReport;
  return { live: () => full, ready: () => full, report: () => full };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('HEAD', () => {
  it('answers with the Content-Length of the GET body, from the fetch handler and the Hono app', async () => {
    const health = healthWith({ status: 'healthy', overall_status: 'healthy' });
    const metrics: MetricsSource = {
      render: () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '# HELP é_total Süß\nx_total 1\n' }),
      summary: () => seedSummary(),
    };
    for (const fetcher of [createStatusHandler({ health, metrics }), createStatusApp({ health, metrics }).fetch]) {
      for (const path of ['/metrics', '/health/live']) {
        const body = await (await get(fetcher, path)).text();
        const head = await Promise.resolve(fetcher(new Request(`http://status.test${path}`, { method: 'HEAD' })));
        expect(head.headers.get('content-length'), path).toBe(String(new TextEncoder().encode(body).byteLength));
        expect(await head.text()).toBe('');
      }
    }
  });
});

describe('failing and misbehaving sources', () => {
  it('answers probes 503 with an unhealthy body when the health source throws, and reports it', async () => {
    const { errors, onError } = collectErrors();
    const failing: HealthSource = {
      live: () => Promise.reject(new Error('boom at /srv/app.js:1')),
      ready: () => {
        throw new Error('x');
      },
      report: () => Promise.reject(new Error('y')),
    };
    const handler = createStatusHandler({ health: failing, onError });
    for (const path of ['/health', '/health/live', '/health/ready']) {
      const response = await get(handler, path);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(Object.keys(body)).toEqual(['status', 'timestamp', 'system_uptime_seconds', 'checks', 'overall_status']);
      expect(body).toMatchObject({ status: 'unhealthy', overall_status: 'unhealthy', checks: {} });
      expect(JSON.stringify(body)).not.toContain('boom');
    }
    expect(errors.map((error) => error.code)).toEqual([
      'ERR_OGF_HEALTH_SOURCE_FAILED',
      'ERR_OGF_HEALTH_SOURCE_FAILED',
      'ERR_OGF_HEALTH_SOURCE_FAILED',
    ]);
    expect(isOgfError(errors[0])).toBe(true);
    expect(errors.map((error) => (error.cause as Error).message)).toContain('boom at /srv/app.js:1');
  });

  it('answers 503 source_unavailable when the metrics source fails or renders nothing', async () => {
    const { errors, onError } = collectErrors();
    const broken: MetricsSource = { render: () => ({}) as never, summary: () => Promise.reject(new Error('collect failed')) };
    const handler = createStatusHandler({ health: degradedHealth(), metrics: broken, onError });
    for (const path of ['/metrics', '/metrics/json', '/status']) {
      const response = await get(handler, path);
      expect(response.status).toBe(503);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ error: 'source_unavailable' });
    }
    expect(errors.map((error) => error.code)).toEqual([
      'ERR_OGF_METRICS_SOURCE_FAILED',
      'ERR_OGF_METRICS_SOURCE_FAILED',
      'ERR_OGF_METRICS_SOURCE_FAILED',
    ]);
  });

  it('writes non-finite numbers as explicit strings and reports each one', async () => {
    const { errors, onError } = collectErrors();
    const metrics: MetricsSource = {
      ...seedMetrics(),
      summary: () => ({
        ...seedSummary(),
        success_rate: Number.NaN,
        total_emissions: Number.POSITIVE_INFINITY,
        queue_size: Number.NEGATIVE_INFINITY,
      }),
    };
    const handler = createStatusHandler({ metrics, onError });
    const text = await (await get(handler, '/metrics/json')).text();
    expect(text).not.toMatch(/"(success_rate|total_emissions|queue_size)":null/);
    expect(JSON.parse(text)).toMatchObject({ success_rate: 'NaN', total_emissions: '+Inf', queue_size: '-Inf' });
    expect(errors.map((error) => [error.code, error.message.match(/"(\w+)"/)?.[1]])).toEqual([
      ['ERR_OGF_NON_FINITE_NUMBER', 'queue_size'],
      ['ERR_OGF_NON_FINITE_NUMBER', 'success_rate'],
      ['ERR_OGF_NON_FINITE_NUMBER', 'total_emissions'],
    ]);
  });

  it('answers 503 for a status outside the three verdicts and reports it', async () => {
    const { errors, onError } = collectErrors();
    const handler = createStatusHandler({ health: healthWith({ status: 'ok' as never }), onError });
    const response = await get(handler, '/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unhealthy', overall_status: 'unhealthy' });
    expect(errors[0]?.code).toBe('ERR_OGF_INVALID_HEALTH_STATUS');
  });

  it('still answers when the onError hook itself throws', async () => {
    const handler = createStatusHandler({
      health: healthWith({ status: 'nope' as never }),
      onError: () => {
        throw new Error('hook');
      },
    });
    expect((await get(handler, '/health')).status).toBe(503);
  });
});

describe('what a public caller sees', () => {
  const leaky = healthWith({
    status: 'unhealthy',
    overall_status: 'unhealthy',
    stack: 'Error: at secret',
    checks: {
      db: {
        name: 'db',
        status: 'unhealthy',
        message: 'connect ECONNREFUSED postgres://app:S3cr3t@10.0.0.5:5432/db?password=x\n    at TCPConnectWrap.afterConnect',
        duration_ms: 1,
        checked_at: '2025-12-04T10:00:00.000Z',
        critical: true,
        details: { dsn: 'postgres://app:S3cr3t@db' },
        extra: 'dropped',
      } as never,
    },
  });

  it('gets only contract fields, one scrubbed message line and no details', async () => {
    const handler = createStatusHandler({ health: leaky, metrics: seedMetrics() });
    const text = await (await get(handler, '/health')).text();
    expect(text).not.toMatch(/S3cr3t|password=x|TCPConnectWrap|stack|extra|dsn/);
    expect(JSON.parse(text).checks.db.message).toBe('connect ECONNREFUSED postgres://[redacted]@10.0.0.5:5432/db?[redacted]');
    const status = await (await get(handler, '/status')).json();
    expect(status.dependencies.db).toEqual({
      status: 'unhealthy',
      message: 'connect ECONNREFUSED postgres://[redacted]@10.0.0.5:5432/db?[redacted]',
    });
  });

  it('gets the source message and details with the token', async () => {
    const handler = createStatusHandler({ health: leaky, token: 't0ken' });
    const body = await (await get(handler, '/health', { authorization: 'Bearer t0ken' })).json();
    expect(body.checks.db.message).toContain('S3cr3t');
    expect(body.checks.db.details).toEqual({ dsn: 'postgres://app:S3cr3t@db' });
    expect(body.checks.db.extra).toBeUndefined();
  });

  it('gets details with publicDetails', async () => {
    const handler = createStatusHandler({ health: degradedHealth(), publicDetails: true });
    expect((await (await get(handler, '/health')).json()).checks.cache.details).toEqual({ latency_ms: 250 });
  });
});

describe('the /status body', () => {
  it('takes uptime from the report in whole seconds and the timestamp from the clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05.000Z'));
    const handler = createStatusHandler({
      health: healthWith({ status: 'healthy', system_uptime_seconds: 12.7 }),
      metrics: seedMetrics(),
      service: { name: 'svc' },
    });
    const body = await (await get(handler, '/status')).json();
    expect(body).toMatchObject({
      service_name: 'svc',
      service_version: 'unknown',
      environment: 'unknown',
      uptime: 12,
      timestamp: '2026-01-02T03:04:05.000Z',
      dependencies: {},
    });
  });
});

describe('the /status instance_id', () => {
  it('names the process answering when the service info has an instance, and is absent otherwise', async () => {
    const named = createStatusHandler({ health: degradedHealth(), metrics: seedMetrics(), service: { name: 'svc', instance: 'worker-2' } });
    expect(await (await get(named, '/status')).json()).toMatchObject({ service_name: 'svc', instance_id: 'worker-2' });
    const anonymous = createStatusHandler({ health: degradedHealth(), metrics: seedMetrics(), service: { name: 'svc' } });
    expect(await (await get(anonymous, '/status')).json()).not.toHaveProperty('instance_id');
    expect(() => createStatusHandler({ health: degradedHealth(), service: { instance: '' } })).toThrow(
      'service.instance must be a non-empty string, got ""',
    );
  });
});

describe('routes follow the sources given', () => {
  it('serves only health routes without a metrics source, and only metrics routes without health', async () => {
    const healthOnly = createStatusHandler({ health: degradedHealth() });
    expect((await get(healthOnly, '/health/live')).status).toBe(200);
    for (const path of ['/metrics', '/metrics/json', '/status']) expect((await get(healthOnly, path)).status).toBe(404);
    const metricsOnly = createStatusHandler({ metrics: seedMetrics() });
    expect((await get(metricsOnly, '/metrics')).status).toBe(200);
    for (const path of ['/health', '/status']) expect((await get(metricsOnly, path)).status).toBe(404);
  });

  it('answers a malformed path with 400 from the plain handler', async () => {
    const response = await get(createStatusHandler({ health: degradedHealth() }), '/%zz');
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('createStatusApp', () => {
  it('mounts under a Hono path, leaves the host routes alone and guards the mounted routes', async () => {
    const host = new Hono();
    host.get('/hello', (c) => c.text('hi'));
    host.route('/ops', createStatusApp({ health: degradedHealth(), metrics: seedMetrics(), token: 'tok' }));
    const fetchHost = (path: string, headers?: Record<string, string>): Promise<Response> => get((r) => host.fetch(r), path, headers);
    expect(await (await fetchHost('/hello')).text()).toBe('hi');
    expect((await fetchHost('/ops/health/live')).status).toBe(200);
    expect((await fetchHost('/ops/metrics')).status).toBe(401);
    expect((await fetchHost('/ops/%6Detrics/')).status).toBe(401);
    expect((await fetchHost('/%6Fps/metrics')).status).toBe(401);
    expect((await fetchHost('/ops/metrics', { authorization: 'Bearer tok' })).status).toBe(200);
    expect((await fetchHost('/health/live')).status).toBe(404);
  });

  it('answers unknown paths on its own with a JSON 404 and no-store', async () => {
    const app = createStatusApp({ health: degradedHealth() });
    const response = await get((r) => app.fetch(r), '/nothing');
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'not_found' });
  });
});

describe('options', () => {
  it.each<[string, StatusAppOptions]>([
    ['no source', {}],
    ['an empty token', { health: degradedHealth(), token: '' }],
    ['a token with spaces', { health: degradedHealth(), token: 'a b' }],
    ['a base path without a slash', { health: degradedHealth(), basePath: 'ops' }],
    ['a base path with a trailing slash', { health: degradedHealth(), basePath: '/ops/' }],
    ['a health source without ready()', { health: { live: () => null, report: () => null } as never }],
    ['a metrics source without summary()', { metrics: { render: () => null } as never }],
    ['a CORS origin with a path', { health: degradedHealth(), cors: { origin: 'https://a.example/x' } }],
    ['an empty service name', { health: degradedHealth(), service: { name: '' } }],
  ])('refuse %s with ERR_OGF_INVALID_OPTION', (_what, options) => {
    let thrown: unknown;
    try {
      createStatusHandler(options);
    } catch (error) {
      thrown = error;
    }
    expect(isOgfError(thrown)).toBe(true);
    expect((thrown as OgfError).code).toBe('ERR_OGF_INVALID_OPTION');
    expect((thrown as OgfError).message).toMatch(/^@ogf\/status-http: /);
  });
});

describe('concurrent scrapes', () => {
  it('share one render per format and one summary while one is in flight', async () => {
    const calls = { text: 0, openmetrics: 0, summary: 0 };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const metrics: MetricsSource = {
      render: async ({ format }) => {
        calls[format]++;
        await gate;
        return { contentType: format, body: `${format} ${calls[format]}` };
      },
      summary: async () => {
        calls.summary++;
        await gate;
        return seedSummary();
      },
    };
    const handler = createStatusHandler({ metrics });
    const text = Array.from({ length: 5 }, () => get(handler, '/metrics'));
    const open = Array.from({ length: 3 }, () => get(handler, '/metrics', { accept: 'application/openmetrics-text' }));
    const json = Array.from({ length: 4 }, () => get(handler, '/metrics/json'));
    release();
    const bodies = await Promise.all([...text, ...open].map(async (response) => (await response).text()));
    expect(bodies).toEqual([...Array(5).fill('text 1'), ...Array(3).fill('openmetrics 1')]);
    for (const response of await Promise.all(json)) expect(response.status).toBe(200);
    expect(calls).toEqual({ text: 1, openmetrics: 1, summary: 1 });
    expect(await (await get(handler, '/metrics')).text()).toBe('text 2');
  });
});
