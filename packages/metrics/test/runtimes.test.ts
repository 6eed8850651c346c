import { describe, expect, it } from 'vitest';
import { RUNTIMES, serveOnRuntime } from '@ogf/testkit/runtimes';
import { EXPECTED_SUMMARY } from './sequence.js';

const app = new URL('./fixtures/runtime-app.ts', import.meta.url).pathname;

describe.each(RUNTIMES)('on %s', (runtime) => {
  it('records the known sequence and summarises it exactly as on Node, with Web APIs only', async () => {
    const server = await serveOnRuntime(runtime, app);
    try {
      const response = await fetch(`${server.url}/`);
      expect(response.status, server.output()).toBe(200);
      expect(await response.json()).toEqual({
        summary: EXPECTED_SUMMARY,
        enabled: true,
        noopEnabled: false,
        classified: 'cancelled',
      });
    } finally {
      await server.stop();
    }
  }, 120_000);
});
