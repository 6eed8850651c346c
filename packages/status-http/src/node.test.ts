import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { isOgfError } from './index.js';
import type { HealthReport, HealthSource } from './index.js';
import { createStatusListener, createStatusMiddleware, startStatusServer, trackConnections, type StatusServer } from './node.js';
import { degradedChecker as degradedHealth, seedWorkloadSource as seedMetrics } from '../test/fixtures/real-sources.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
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

  it('closes at once with a connection that never sent a request, and lets an in-flight request finish', async () => {
    // Regression: a silent TCP client (a load balancer's port check) kept close() pending until it gave up.
    const gate = deferred();
    const entered = deferred();
    const server = await startStatusServer({ health: gatedHealth(gate.promise, entered.resolve), port: 0 });
    const silent = await openSocket(server.port);
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    const answer = get(`${server.url}/health/ready`);
    await entered.promise;

    const closed = server.close();
    await silentClosed;
    gate.resolve();
    const { status, headers } = await answer;
    expect(status).toBe(200);
    expect(headers.connection).toBe('close');
    await closed;
    await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();
  });

  it('finishes a request in flight on a raw socket when shutdown begins, then closes that connection', async () => {
    const gate = deferred();
    const entered = deferred();
    const server = await startStatusServer({ health: gatedHealth(gate.promise, entered.resolve), port: 0 });
    const tracker = server.server;
    const socket = await openSocket(server.port);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n');
    await entered.promise;
    const closed = server.close();
    gate.resolve();
    await socketClosed;
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    expect(tracker.listening).toBe(false);
  });

  it('sets the header, request and keep-alive timeouts it is given', async () => {
    const server = await start({
      health: degradedHealth(),
      port: 0,
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
      keepAliveTimeoutMs: 2_000,
    });
    expect(server.server.headersTimeout).toBe(200);
    expect(server.server.requestTimeout).toBe(400);
    // The keep-alive timeout is announced to clients in whole seconds.
    expect((await get(`${server.url}/health/live`)).headers['keep-alive']).toBe('timeout=2');
    // A client that starts a request and never finishes its headers is answered 408 and closed.
    const slow = await openSocket(server.port);
    let received = '';
    slow.on('data', (chunk: Buffer) => (received += chunk.toString()));
    slow.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
    await new Promise<void>((resolve) => slow.once('close', () => resolve()));
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('refuses timeouts that are not positive integers, or a request timeout shorter than the header one', async () => {
    for (const options of [
      { headersTimeoutMs: 0 },
      { keepAliveTimeoutMs: 1.5 },
      { requestTimeoutMs: Number.NaN },
      { headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 },
    ]) {
      const error: unknown = await startStatusServer({ health: degradedHealth(), port: 0, ...options }).catch((e: unknown) => e);
      expect(isOgfError(error) && error.code, JSON.stringify(options)).toBe('ERR_OGF_INVALID_OPTION');
    }
  });

  it('leaves the global Request and Response classes alone', async () => {
    const { Request: before, Response: responseBefore } = globalThis;
    const server = await start({ health: degradedHealth(), port: 0 });
    await (await fetch(`${server.url}/health`)).text();
    expect(globalThis.Request).toBe(before);
    expect(globalThis.Response).toBe(responseBefore);
  });
});

describe('trackConnections', () => {
  it('closes a server you created with idle, silent and in-flight connections', async () => {
    const gate = deferred();
    const entered = deferred();
    const server = createServer(createStatusListener({ health: gatedHealth(gate.promise, entered.resolve) }));
    const connections = trackConnections(server);
    const url = await listen(server);
    const port = Number(new URL(url).port);
    await (await fetch(`${url}/health/live`)).text();
    const silent = await openSocket(port);
    const answer = get(`${url}/health/ready`);
    await entered.promise;
    expect(connections.inFlight).toBe(1);
    expect(connections.open).toBeGreaterThanOrEqual(2);

    const closed = connections.close();
    await new Promise<void>((resolve) => silent.once('close', () => resolve()));
    gate.resolve();
    expect((await answer).status).toBe(200);
    await closed;
    expect(server.listening).toBe(false);
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

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A health source whose readiness answers only once `gate` resolves (an in-flight request). */
function gatedHealth(gate: Promise<void>, onEnter: () => void): HealthSource {
  const report = (): HealthReport => ({
    status: 'healthy',
    timestamp: new Date().toISOString(),
    system_uptime_seconds: 0,
    checks: {},
    overall_status: 'healthy',
  });
  return {
    live: report,
    ready: async () => {
      onEnter();
      await gate;
      return report();
    },
    report,
  };
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
    cleanups.push(() => Promise.resolve(void socket.destroy()));
  });
}

/** GET with node:http, so the response's Connection header is visible (fetch hides it). */
function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    })
      .once('error', reject)
      .end();
  });
}
