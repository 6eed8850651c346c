// The main entry on Bun, Deno and workerd: Web APIs only, the same expositions everywhere.
import { fileURLToPath } from 'node:url';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { bundleForRuntime, RUNTIMES, serveOnRuntime, type RuntimeServer } from '@ogf/testkit/runtimes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../src/index.js';

const app = fileURLToPath(new URL('./fixtures/runtime-app.ts', import.meta.url));

it('bundles the main entry without node: builtins or prom-client', async () => {
  const code = await bundleForRuntime(app);
  expect(code).not.toMatch(/from\s*["']node:/);
  expect(code).not.toMatch(/(?:from\s*|require\()["']prom-client/);
});

describe.each(RUNTIMES)('@ogf/prom-export on %s', (runtime) => {
  let server: RuntimeServer;
  beforeAll(async () => {
    server = await serveOnRuntime(runtime, app);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('serves text, OpenMetrics and the snapshot', async () => {
    const text = await fetch(`${server.url}/metrics`);
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await text.text();
    assertPromtoolClean(body);
    expect(body).toContain('requests_total{path="/metrics",otel_scope_name="runtime"} 1\n');

    const om = await fetch(`${server.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const families = parseOpenMetrics(await om.text());
    expect(families.map((f) => [f.name, f.type])).toEqual([
      ['latency_seconds', 'histogram'],
      ['requests', 'counter'],
    ]);
    expect(families[1]?.help).toBe('Requests "seen".');

    const snapshot = (await (await fetch(`${server.url}/snapshot`)).json()) as MetricsSnapshot;
    expect(snapshot.metrics.map((m) => m.prometheusName)).toEqual(['latency_seconds', 'requests_total']);
  }, 60_000);
});
