import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStatusApp, createStatusHandler, isOgfError } from '../index.js';
import { degradedHealth, seedMetrics } from '../../test/fixtures/sources.js';

const sources = { health: degradedHealth(), metrics: seedMetrics() };
const get = (handler: (r: Request) => Promise<Response> | Response, path: string, init?: RequestInit): Promise<Response> =>
  Promise.resolve(handler(new Request(`http://status.test${path}`, init)));

const sha = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const block = (html: string, tag: string): string => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)?.[1] ?? '';

describe('the dashboard page', () => {
  it('is one HTML document whose CSP allows exactly its inline script and style, and nothing off-origin', async () => {
    const response = await get(createStatusHandler({ ...sources, token: 'secret' }), '/dashboard');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src ${sha(block(html, 'script'))};`);
    expect(csp).toContain(`style-src ${sha(block(html, 'style'))};`);
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).toContain("connect-src 'self'");
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('stays under the 60 KB gzipped budget', async () => {
    const html = await (await get(createStatusHandler(sources), '/dashboard')).text();
    expect(gzipSync(html).byteLength).toBeLessThan(60 * 1024);
  });

  it('is public even with a token, while the data it polls is not', async () => {
    const handler = createStatusHandler({ ...sources, token: 'secret' });
    expect((await get(handler, '/dashboard')).status).toBe(200);
    expect((await get(handler, '/api/v1/dashboard')).status).toBe(200);
    expect((await get(handler, '/metrics/json')).status).toBe(401);
  });

  it('tells the page where its data lives: /metrics/json at the root, /metrics under /api/v1', async () => {
    const handler = createStatusHandler({ ...sources, basePath: '/ops' });
    expect(await (await get(handler, '/ops/dashboard')).text()).toContain(
      'data-depth="1" data-interval="2000" data-metrics="/metrics/json"',
    );
    expect(await (await get(handler, '/ops/api/v1/dashboard')).text()).toContain('data-metrics="/metrics" data-status="/status"');
  });

  it('moves to another path, or goes away with dashboard: false', async () => {
    const moved = createStatusApp({ ...sources, dashboard: { path: '/ui/live' } });
    expect(await (await get(moved.fetch, '/ui/live')).text()).toContain('data-depth="2"');
    expect((await get(moved.fetch, '/dashboard')).status).toBe(404);
    const off = createStatusHandler({ ...sources, dashboard: false });
    expect((await get(off, '/dashboard')).status).toBe(404);
    expect((await get(off, '/api/v1/dashboard')).status).toBe(404);
  });

  it('is served whichever sources the app has', async () => {
    for (const options of [{ health: sources.health }, { metrics: sources.metrics }]) {
      expect((await get(createStatusHandler(options), '/dashboard')).status).toBe(200);
    }
  });

  it('answers HEAD with the length of the page and no body', async () => {
    const handler = createStatusHandler(sources);
    const body = await (await get(handler, '/dashboard')).text();
    const head = await get(handler, '/dashboard', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).byteLength));
  });

  it('refuses a path that is not a plain path or that shadows a status route', () => {
    for (const path of ['dashboard', '/dash/', '/metrics/ui', '/api/v1/ui', '/d%20b']) {
      expect(() => createStatusHandler({ ...sources, dashboard: { path } }), path).toThrow(/dashboard\.path must look like/);
    }
    try {
      createStatusHandler({ ...sources, dashboard: 'yes' as unknown as boolean });
      expect.unreachable();
    } catch (error) {
      expect(isOgfError(error) && error.code).toBe('ERR_OGF_INVALID_OPTION');
    }
  });

  it('escapes the service name it shows as the title', async () => {
    const handler = createStatusHandler({ ...sources, service: { name: '<img src=x onerror=alert(1)>' } });
    const html = await (await get(handler, '/dashboard')).text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });
});
