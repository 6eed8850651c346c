import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { descendantsOf, markerOf, runId } from './processes.ts';
import { bundleForRuntime, RUNTIMES, serveOnRuntime, type RuntimeServer } from './runtimes.ts';

const echoApp = fileURLToPath(new URL('./fixtures/echo-app.ts', import.meta.url));
const nodeImportApp = fileURLToPath(new URL('./fixtures/node-import-app.ts', import.meta.url));

describe.each(RUNTIMES)('serveOnRuntime on %s', (runtime) => {
  let server: RuntimeServer;
  beforeAll(async () => {
    server = await serveOnRuntime(runtime, echoApp);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('answers over HTTP from the named runtime', async () => {
    const response = await fetch(`${server.url}/probe?x=1`);
    expect(await response.json()).toEqual({ runtime, path: '/probe', method: 'GET' });
  });

  it('runs node:async_hooks with nodeCompat', async () => {
    const compat = await serveOnRuntime(runtime, nodeImportApp, { nodeCompat: true });
    try {
      expect(await (await fetch(compat.url)).text()).toBe('inside');
    } finally {
      await compat.stop();
    }
  }, 120_000);

  it('leaves none of the processes it started behind once stopped', async () => {
    const before = new Set(descendantsOf(process.pid));
    const extra = await serveOnRuntime(runtime, echoApp);
    const started = descendantsOf(process.pid).filter((pid) => !before.has(pid));
    expect(started.length).toBeGreaterThan(0);
    await extra.stop();
    // A killed process lingers for a moment until the kernel has torn it down.
    await vi.waitFor(() => expect(started.filter((pid) => markerOf(pid) === runId())).toEqual([]), { timeout: 5_000 });
  }, 120_000);
});

describe('bundleForRuntime', () => {
  it('refuses a node: import unless nodeCompat is set', async () => {
    await expect(bundleForRuntime(nodeImportApp)).rejects.toThrow(/node:async_hooks/);
  });
});
