// The same seed-tree test on Bun, Deno and workerd, through @ogf/testkit's serveOnRuntime.
import { fileURLToPath } from 'node:url';
import { bundleForRuntime, RUNTIMES, serveOnRuntime } from '@ogf/testkit/runtimes';
import { describe, expect, it } from 'vitest';
import type { SpanSummary } from './scenario.ts';
import { expectSeedTree } from './support.ts';

const treeApp = fileURLToPath(new URL('./fixtures/runtime-app.ts', import.meta.url));
const webOnlyApp = fileURLToPath(new URL('./fixtures/web-only-app.ts', import.meta.url));

describe.each(RUNTIMES)('on %s', (runtime) => {
  it('records the seed tree for a batch of 3 activities', async () => {
    const server = await serveOnRuntime(runtime, treeApp, { nodeCompat: true });
    try {
      const response = await fetch(server.url);
      const text = await response.text();
      expect(response.status, `${text}\n${server.output()}`).toBe(200);
      const body = JSON.parse(text) as { result: { emissionsKg: number }; spans: SpanSummary[] };
      expect(body.result).toEqual({ emissionsKg: 725 });
      expectSeedTree(body.spans);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe('the main entry on Web APIs alone', () => {
  it('bundles without node: builtins and traces on workerd without nodejs_compat', async () => {
    await expect(bundleForRuntime(webOnlyApp)).resolves.toContain('batch.processing');
    const server = await serveOnRuntime('workerd', webOnlyApp);
    try {
      const body = (await (await fetch(server.url)).json()) as { carrier: Record<string, string>; spans: SpanSummary[] };
      const [activity, batch] = body.spans;
      expect(activity?.parentSpanId).toBe(batch?.spanId);
      expect(activity?.status).toEqual({ code: 2, message: 'connection_refused' });
      expect(body.carrier.traceparent).toBe(`00-${batch?.traceId}-${batch?.spanId}-01`);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
