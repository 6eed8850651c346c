// The main entry on Bun, Deno and workerd: Web APIs only (no node: imports, no OpenTelemetry).
import { fileURLToPath } from 'node:url';
import { bundleForRuntime, RUNTIMES, serveOnRuntime, type RuntimeServer } from '@ogf/testkit/runtimes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../src/index.js';

const app = fileURLToPath(new URL('./fixtures/runtime-app.ts', import.meta.url));

interface AppAnswer {
  body: HealthReport;
  aborted: boolean;
}

it('bundles the main entry without node: builtins or @opentelemetry/api', async () => {
  const code = await bundleForRuntime(app);
  expect(code).not.toMatch(/from\s*["']node:/);
  expect(code).not.toContain('@opentelemetry');
});

describe.each(RUNTIMES)('@ogf/health on %s', (runtime) => {
  let server: RuntimeServer;
  beforeAll(async () => {
    server = await serveOnRuntime(runtime, app);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function get(path: string): Promise<{ status: number; answer: AppAnswer }> {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, answer: (await response.json()) as AppAnswer };
  }

  it('produces a report with a timeout, a redacted failure and an aborted signal', async () => {
    const { status, answer } = await get('/report');
    expect(status).toBe(200);
    const { body } = answer;
    expect(body.status).toBe('degraded');
    expect(body.overall_status).toBe('degraded');
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'hangs', 'loop', 'secret']);
    expect(body.checks.database).toMatchObject({ status: 'healthy', critical: true });
    expect(body.checks.hangs).toMatchObject({ status: 'unhealthy', message: 'timeout', critical: false });
    expect(body.checks.secret).toMatchObject({ status: 'unhealthy', message: 'connection_refused' });
    expect(JSON.stringify(body)).not.toContain('S3cr3t');
    expect(answer.aborted).toBe(true);
  }, 60_000);

  it('answers liveness from the heartbeat only, and 503 on readiness after beginShutdown', async () => {
    const live = await get('/live');
    expect(live.status).toBe(200);
    expect(Object.keys(live.answer.body.checks)).toEqual(['loop']);
    const shutdown = await get('/shutdown');
    expect(shutdown.status).toBe(503);
    expect(shutdown.answer.body.checks.lifecycle?.message).toBe('shutting_down');
  }, 60_000);
});
