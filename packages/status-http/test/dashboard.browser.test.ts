// The dashboard in headless Chromium against the handler itself, for the configurations the
// example does not have: health without metrics, metrics without health, and a base path inside a
// Hono app mounted under a prefix. The page must find its data and log nothing.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChromium, type HeadlessChromium } from '@ogf/testkit/chromium';
import { createStatusApp, createStatusHandler, type StatusHandler } from '@ogf/status-http';
import { degradedHealth, seedMetrics, seedSummary } from './fixtures/sources.js';

let chrome: HeadlessChromium;
const servers: ServerType[] = [];

beforeAll(async () => {
  chrome = await startChromium();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await chrome?.stop();
});

async function listen(fetch: StatusHandler): Promise<string> {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function show(url: string): Promise<{ text: (selector: string) => Promise<string>; problems: string[]; paths: string[] }> {
  const context = await chrome.browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  const paths: string[] = [];
  page.on('console', (message) => problems.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  await page.goto(url);
  await page
    // Two refreshes 2 s apart; the room is for a loaded machine (Chromium's first page is slow there).
    .waitForFunction(() => Number(document.body.dataset.refreshes ?? 0) >= 2, undefined, { timeout: 60_000 })
    .catch(async () => {
      throw new Error(`no two refreshes: ${JSON.stringify({ problems, paths, banner: await page.locator('#banner').isVisible() })}`);
    });
  return {
    text: async (selector) => (await page.locator(selector).first().textContent()) ?? '',
    problems,
    paths,
  };
}

describe('the dashboard in a browser, served by the handler', { timeout: 90_000 }, () => {
  it('shows the dependencies of an app with health and no metrics, asking only /health', async () => {
    const base = await listen(createStatusHandler({ health: degradedHealth() }));
    const page = await show(`${base}/dashboard`);
    expect(await page.text('tr[data-dependency="cache"] [data-role="status"]')).toBe('degraded');
    expect(await page.text('#overall')).toBe('degraded');
    expect(new Set(page.paths)).toEqual(new Set(['/dashboard', '/health']));
    expect(page.problems).toEqual([]);
  });

  it('shows the numbers of an app with metrics and no health', async () => {
    const base = await listen(createStatusHandler({ metrics: seedMetrics() }));
    const page = await show(`${base}/api/v1/dashboard`);
    expect(await page.text('[data-key="batches_submitted"]')).toBe(String(seedSummary().batches_submitted));
    expect(new Set(page.paths)).toEqual(new Set(['/api/v1/dashboard', '/api/v1/metrics']));
    expect(page.problems).toEqual([]);
  });

  it('finds its data under a basePath inside a Hono app mounted under a prefix', async () => {
    const host = new Hono();
    host.route('/admin', createStatusApp({ health: degradedHealth(), metrics: seedMetrics(), basePath: '/ops' }));
    const base = await listen((request) => Promise.resolve(host.fetch(request)));
    const page = await show(`${base}/admin/ops/dashboard/`);
    expect(await page.text('[data-key="batches_completed"]')).toBe(String(seedSummary().batches_completed));
    expect(await page.text('tr[data-dependency="database"] [data-role="status"]')).toBe('healthy');
    expect(page.paths).toContain('/admin/ops/metrics/json');
    expect(page.paths).toContain('/admin/ops/status');
    expect(page.problems).toEqual([]);
  });
});
