import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { isOgfError } from './index.js';
import { createStatusListener, createStatusMiddleware, startStatusServer, type StatusServer } from './node.js';
import { degradedChecker as degradedHealth, seedWorkloadSource as seedMetrics } from '../test/fixtures/real-sources.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function start(options: Parameters<typeof startStatusServer>[0]): Promise<StatusServer> {
  const server = await startStatusServer(options);
  cleanups.push(() => server.close());
  return server;
}

describe('startStatusServer', () => {
  it('listens on 127.0.0.1 unless told otherwise and reports its URL', async () => {
    const server = await start({ health: degradedHealth(), port: 0 });
    expect((server.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
  });

  it('answers HEAD with the Content-Length of the GET body and no body', async () => {
    // Cached check results, so GET and HEAD carry the same duration_ms (a rerun between the two
    // could change its length on a slow machine).
    const server = await start({ health: degradedHealth({ cacheTtlMs: 60_000 }), metrics: seedMetrics(), port: 0 });
    for (const path of ['/metrics', '/health/ready', '/metrics/json']) {
      const get = await fetch(`${server.url}${path}`);
      const body = await get.text();
      const head = await fetch(`${server.url}${path}`, { method: 'HEAD' });
      expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(body));
      expect(head.headers.get('cache-control')).toBe('no-store');
      expect(await head.text()).toBe('');
    }
  });

  it('rejects with ERR_OGF_LISTEN_FAILED when the port is taken', async () => {
    const first = await start({ health: degradedHealth(), port: 0 });
    const error: unknown = await startStatusServer({ health: degradedHealth(), port: first.port }).catch((e: unknown) => e);
    expect(isOgfError(error) && error.code).toBe('ERR_OGF_LISTEN_FAILED');
  });

  it('refuses a port outside 0..65535', async () => {
    const error: unknown = await startStatusServer({ health: degradedHealth(), port: 70_000 }).catch((e: unknown) => e);
    expect(isOgfError(error) && error.code).toBe('ERR_OGF_INVALID_OPTION');
  });

  it('closes with keep-alive connections open', async () => {
    const server = await startStatusServer({ health: degradedHealth(), port: 0 });
    await (await fetch(`${server.url}/health/live`, { headers: { connection: 'keep-alive' } })).text();
    await server.close();
    await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();
  });

  it('leaves the global Request and Response classes alone', async () => {
    const { Request: before, Response: responseBefore } = globalThis;
    const server = await start({ health: degradedHealth(), port: 0 });
    await (await fetch(`${server.url}/health`)).text();
    expect(globalThis.Request).toBe(before);
    expect(globalThis.Response).toBe(responseBefore);
  });
});

describe('createStatusMiddleware', () => {
  it('answers status routes and passes every other path on to Express', async () => {
    const app = express();
    app.use(createStatusMiddleware({ health: degradedHealth(), metrics: seedMetrics(), token: 'tok' }));
    app.get('/hello', (_req, res) => {
      res.send('from express');
    });
    app.get('/metricsx', (_req, res) => {
      res.send('not ours');
    });
    const url = await listen(createServer(app));
    expect(await (await fetch(`${url}/hello`)).text()).toBe('from express');
    expect(await (await fetch(`${url}/metricsx`)).text()).toBe('not ours');
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${url}/METRICS/`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
  });

  it('matches below the path Express mounted it on', async () => {
    const app = express();
    app.use('/ops', createStatusMiddleware({ health: degradedHealth(), metrics: seedMetrics(), token: 'tok' }));
    const url = await listen(createServer(app));
    expect((await fetch(`${url}/ops/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/ops/status`)).status).toBe(401);
    expect((await fetch(`${url}/health/live`)).status).toBe(404);
  });
});

describe('createStatusListener', () => {
  it('serves the routes from a node:http server you create', async () => {
    const url = await listen(createServer(createStatusListener({ health: degradedHealth(), metrics: seedMetrics() })));
    const response = await fetch(`${url}/api/v1/metrics`);
    expect(response.status).toBe(200);
    expect((await response.json()).batches_submitted).toBe(42);
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
  });
});
