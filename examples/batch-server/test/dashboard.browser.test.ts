// The dashboard as a person sees it: headless Chromium against the demo under load. It checks
// the token flow, that the numbers shown are the /metrics/json the page just read, that a
// failing dependency shows as failing, no console errors and no request off the origin; and it
// saves the light and dark screenshots the status-http README shows.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChromium, type HeadlessChromium } from '@ogf/testkit/chromium';
import { startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

const TOKEN = 'dashboard-test-token';
// The README's pictures are rewritten only when asked (OGF_UPDATE_SCREENSHOTS=1), so an ordinary run
// leaves the work tree clean; otherwise they go to a scratch folder, taken all the same.
const SCREENSHOTS = process.env.OGF_UPDATE_SCREENSHOTS
  ? join(import.meta.dirname, '..', '..', '..', 'packages', 'status-http', 'docs')
  : join(tmpdir(), 'ogf-dashboard-screenshots');

type Summary = Record<string, unknown> & {
  timestamp: string;
  errors_by_type: Record<string, number>;
  batch_latency_seconds: Record<string, number | null>;
  activity_latency_seconds: Record<string, number | null>;
};

interface Watched {
  page: Page;
  requests: string[];
  problems: string[];
  summaries: Map<string, Summary>;
}

/** What the page should show for a value of the metrics JSON, formatted independently of it. */
function expectedText(key: string, json: Summary): string {
  const fixed = (value: number, digits: number): string =>
    value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const [head, tail] = key.split('.') as [string, string | undefined];
  if (head === 'errors_by_type') return fixed(json.errors_by_type[tail as string] as number, 0);
  if (tail !== undefined) {
    const seconds = (json[head] as Record<string, number | null>)[tail];
    return seconds === null || seconds === undefined ? '–' : `${fixed(seconds * 1000, 1)} ms`;
  }
  const value = json[key];
  if (key === 'timestamp') return String(value);
  if (key === 'success_rate' || key === 'worker_utilization_percent') return `${fixed(value as number, 1)} %`;
  if (key.endsWith('_per_second')) return `${fixed(value as number, 2)} /s`;
  if (key === 'total_emissions') return `${fixed(value as number, 1)} kg`;
  return fixed(value as number, 0);
}

describe('the dashboard in a browser', () => {
  const data = tempDataDir();
  let demo: ServerProcess;
  let chrome: HeadlessChromium;

  beforeAll(async () => {
    [demo, chrome] = await Promise.all([
      startServerProcess(
        {
          DATA_DIR: data.dir,
          LOG_FILE: `${data.dir}/server.log`,
          STATUS_TOKEN: TOKEN,
          DEMO_FAILING_CHECK: 'factor-api',
          DEMO_INTERVAL_MS: '100',
          FAULT_RATE: '0.08',
        },
        { entry: 'src/demo.ts', readyText: 'Ctrl-C to stop' },
      ),
      startChromium(),
    ]);
  });

  afterAll(async () => {
    await Promise.all([chrome?.stop(), demo?.stop()]);
    data.remove();
  });

  async function open(colorScheme: 'light' | 'dark', viewport = { width: 1200, height: 1000 }): Promise<Watched> {
    const context = await chrome.browser.newContext({ colorScheme, viewport });
    const page = await context.newPage();
    const watched: Watched = { page, requests: [], problems: [], summaries: new Map() };
    page.on('request', (request) => watched.requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') watched.problems.push(message.text());
    });
    page.on('pageerror', (error) => watched.problems.push(error.message));
    page.on('response', (response) => {
      if (new URL(response.url()).pathname !== '/metrics/json' || response.status() !== 200) return;
      response.json().then(
        (summary: Summary) => watched.summaries.set(summary.timestamp, summary),
        () => {},
      );
    });
    await page.goto(`${demo.url}/`);
    return watched;
  }

  const refreshes = (page: Page): Promise<number> => page.evaluate(() => Number(document.body.dataset.refreshes ?? 0));

  async function waitForRefreshes(page: Page, count: number): Promise<void> {
    const start = await refreshes(page);
    await page.waitForFunction((target) => Number(document.body.dataset.refreshes ?? 0) >= target, start + count, { timeout: 60_000 });
  }

  it('prints the dashboard URL first', () => {
    const urls = demo.output().match(/http:\/\/\S+/g) ?? [];
    expect(urls[0]).toBe(`${demo.url}/dashboard`);
  });

  it('asks for the token, shows only public health without it, then the live numbers of /metrics/json', async () => {
    const { page, requests, problems, summaries } = await open('light');
    expect(new URL(page.url()).pathname).toBe('/dashboard');

    // Without the token: the form, the public dependencies (a failing one shows as failing), no metrics.
    await page.getByLabel('Status token').waitFor({ state: 'visible' });
    await waitForRefreshes(page, 1);
    expect(await page.locator('#metrics-panels').isHidden()).toBe(true);
    const failing = page.locator('tr[data-dependency="factor-api"] [data-role="status"]');
    expect(await failing.textContent()).toBe('unhealthy');

    expect(problems).toEqual([]);

    // With a wrong token: rejected and forgotten.
    await page.getByLabel('Status token').fill('not-the-token');
    await page.getByRole('button', { name: 'Show metrics' }).click();
    await page.getByText('That token was rejected.').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => sessionStorage.getItem('ogf-status-token'))).toBeNull();
    // The rejected token's two 401s are the only failed requests; Chromium logs each one.
    expect(problems).toEqual([expect.stringContaining('401'), expect.stringContaining('401')]);
    problems.length = 0;

    // With the token, submitted from the keyboard.
    await page.getByLabel('Status token').fill(TOKEN);
    await page.getByLabel('Status token').press('Enter');
    await page.locator('#metrics-panels').waitFor({ state: 'visible' });
    await waitForRefreshes(page, 2);

    const shown = await page.evaluate(() => {
      const values: Record<string, string> = {};
      for (const node of document.querySelectorAll<HTMLElement>('[data-key]')) values[node.dataset.key as string] = node.textContent ?? '';
      return values;
    });
    // The test reads each /metrics/json body through Playwright after the page has it: wait for
    // the body of the snapshot on screen (polled for up to 10 s).
    for (let i = 0; i < 200 && !summaries.has(shown.timestamp as string); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const summary = summaries.get(shown.timestamp as string);
    expect(summary, `the page shows the snapshot of ${shown.timestamp}`).toBeDefined();
    const json = summary as Summary;
    expect(json.batches_submitted as number).toBeGreaterThan(0);
    let compared = 0;
    for (const [key, text] of Object.entries(shown)) {
      if (['service_name', 'service_version', 'environment', 'uptime'].includes(key)) continue;
      expect(text, key).toBe(expectedText(key, json));
      compared += 1;
    }
    expect(compared).toBeGreaterThanOrEqual(25);
    expect(Object.keys(json.errors_by_type).every((type) => `errors_by_type.${type}` in shown)).toBe(true);
    expect(shown.service_name).toBe('batch-server-demo');
    expect(await failing.textContent()).toBe('unhealthy');
    expect(await page.locator('tr[data-dependency="factor-api"]').textContent()).toContain('simulated outage of factor-api');
    expect(await page.locator('#overall').textContent()).toBe('degraded');
    expect(await page.locator('svg#chart-batches_per_second polyline').count()).toBe(1);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-light.png'), fullPage: true });

    const origin = new URL(demo.url).origin;
    expect(requests.length).toBeGreaterThan(4);
    expect(requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
    expect(requests.filter((url) => url.includes(TOKEN))).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('keeps the token for the tab and is readable in dark mode', async () => {
    const { page, problems } = await open('dark');
    await page.evaluate((token) => sessionStorage.setItem('ogf-status-token', token), TOKEN);
    await page.reload();
    await page.locator('#metrics-panels').waitFor({ state: 'visible' });
    await waitForRefreshes(page, 2);
    expect(await page.evaluate(() => sessionStorage.getItem('ogf-status-token'))).toBe(TOKEN);
    expect(await page.getByLabel('Status token').isHidden()).toBe(true);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 18, 23)');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-dark.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits a phone screen without sideways scrolling and can be used from the keyboard', async () => {
    const { page, problems } = await open('light', { width: 390, height: 844 });
    await page.getByLabel('Status token').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Tab reaches the token field, then the button; Enter on the button submits.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#metrics-panels').waitFor({ state: 'visible' });
    await waitForRefreshes(page, 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
