// One helper, seven ways to run the same app: the fetch handler and the Hono app in process, a
// real Node server, Express, Bun, Deno and workerd. Every target serves the two apps of
// fixtures/matrix-setup.ts (main at the root, sick under /sick) and answers `fetch(path, init)`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { Hono } from 'hono';
import { createStatusApp, createStatusHandler } from '@ogf/status-http';
import { createStatusMiddleware, startStatusServer } from '@ogf/status-http/node';
import { serveOnRuntime } from '@ogf/testkit/runtimes';
import { mainOptions, sickOptions } from './fixtures/matrix-setup.js';

export const TARGETS = ['handler', 'hono', 'node', 'express', 'bun', 'deno', 'workerd'] as const;
export type TargetName = (typeof TARGETS)[number];

export interface MatrixTarget {
  name: TargetName;
  /** Requests `path` (sent as written: `//metrics`, `/%6Detrics` stay as they are). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

const matrixApp = fileURLToPath(new URL('./fixtures/matrix-app.ts', import.meta.url));

function inProcess(name: TargetName, handle: (request: Request) => Promise<Response> | Response): MatrixTarget {
  return {
    name,
    fetch: async (path, init) => handle(new Request(`http://status.test${path}`, init)),
    stop: async () => {},
  };
}

function overHttp(name: TargetName, urlFor: (path: string) => string, stop: () => Promise<void>): MatrixTarget {
  return { name, fetch: (path, init) => fetch(urlFor(path), { ...init, redirect: 'manual' }), stop };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const isSick = (path: string): boolean => path.toLowerCase().startsWith('/sick');

/** Starts one target; `stop()` releases its port or process. */
export async function startTarget(name: TargetName): Promise<MatrixTarget> {
  switch (name) {
    case 'handler': {
      const main = createStatusHandler(mainOptions());
      const sick = createStatusHandler(sickOptions());
      // Two plain handlers side by side: the main one answers 404 for what is not its own.
      return inProcess(name, async (request) => {
        const response = await main(request.clone());
        return response.status === 404 ? sick(request) : response;
      });
    }
    case 'hono': {
      const app = new Hono();
      app.route('/', createStatusApp(mainOptions()));
      app.route('/', createStatusApp(sickOptions()));
      return inProcess(name, (request) => app.fetch(request));
    }
    case 'node': {
      const main = await startStatusServer({ ...mainOptions(), port: 0 });
      const sick = await startStatusServer({ ...sickOptions(), port: 0 });
      return overHttp(
        name,
        (path) => `${isSick(path) ? sick.url : main.url}${path}`,
        async () => {
          await Promise.all([main.close(), sick.close()]);
        },
      );
    }
    case 'express': {
      const app = express();
      app.use(createStatusMiddleware(mainOptions()));
      app.use(createStatusMiddleware(sickOptions()));
      const server = createServer(app);
      const url = await listen(server);
      return overHttp(
        name,
        (path) => `${url}${path}`,
        () => closeServer(server),
      );
    }
    default: {
      const server = await serveOnRuntime(name, matrixApp);
      return overHttp(
        name,
        (path) => `${server.url}${path}`,
        () => server.stop(),
      );
    }
  }
}
