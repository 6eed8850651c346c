import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_CONTENT_TYPE } from '@ogf/core';
import { createStatusMiddleware, startStatusServer } from '@ogf/status-http/node';
import { degradedChecker as degradedHealth, seedWorkloadSource as seedMetrics } from './fixtures/real-sources.js';

interface RawResponse {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  /** The server reset the connection (Node 24 does so after a 431 while the client still writes). */
  reset: boolean;
  headers: Record<string, string>;
  raw: string;
}

/** Writes bytes to a fresh TCP connection and reads until the server closes it. */
function rawRequest(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    let reset = false;
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reset = true;
      else reject(error);
    });
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head = ''] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), reset, headers, raw });
    });
    socket.write(request);
  });
}

const TOKEN = 'robust-token';
const line = (target: string, headers: string[] = []): string =>
  [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers, '', ''].join('\r\n');

function isClientErrorOrText(response: RawResponse): boolean {
  if (response.status >= 400 && response.status < 500) return true;
  // Refusing an oversized request by resetting the connection is also a refusal.
  if (response.status === 0 && response.reset) return true;
  return response.status === 200 && response.headers['content-type'] === TEXT_CONTENT_TYPE;
}

async function listenExpress(guarded: boolean): Promise<{ port: number; close(): Promise<void> }> {
  const app = express();
  app.use(createStatusMiddleware({ health: degradedHealth(), metrics: seedMetrics(), ...(guarded ? { token: TOKEN } : {}) }));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function listenNode(guarded: boolean): Promise<{ port: number; close(): Promise<void> }> {
  const server = await startStatusServer({
    health: degradedHealth(),
    metrics: seedMetrics(),
    port: 0,
    ...(guarded ? { token: TOKEN } : {}),
  });
  return { port: server.port, close: () => server.close() };
}

describe.each([
  ['the standalone Node server', listenNode],
  ['an Express app', listenExpress],
] as const)('raw requests to %s', (_name, listen) => {
  let guarded: { port: number; close(): Promise<void> };
  let open: { port: number; close(): Promise<void> };
  beforeAll(async () => {
    [guarded, open] = await Promise.all([listen(true), listen(false)]);
  });
  afterAll(async () => {
    await Promise.all([guarded?.close(), open?.close()]);
  });

  const hostile: [string, string | Buffer][] = [
    ['an absolute target without a host', line('http://')],
    ['a doubled slash', line('//metrics')],
    ['a broken percent-encoding', line('/%zz')],
    ['a 64 KB path', line(`/${'a'.repeat(64 * 1024)}`)],
    [
      'a garbage Accept header',
      Buffer.concat([
        Buffer.from('GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: '),
        Buffer.from([0xff, 0xfe, 0x3b, 0x3b, 0x71, 0x3d, 0x2c]),
        Buffer.from(';q=abc,,,*/*;q=\r\n\r\n'),
      ]),
    ],
    ['an absolute target naming another host', line('http://evil.example/metrics')],
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['an encoded slash and dot segments', line('/health/%2e%2e/metrics%2F%2E')],
  ];

  it.each(hostile)('answers %s with a 4xx or the text format, and keeps serving', async (_what, request) => {
    for (const server of [guarded, open]) {
      const response = await rawRequest(server.port, request);
      expect(isClientErrorOrText(response), response.raw.slice(0, 300)).toBe(true);
      const alive = await rawRequest(server.port, line('/health/live'));
      expect(alive.status).toBe(200);
    }
  });

  it('keeps /metrics behind the token for every hostile spelling', async () => {
    for (const [, request] of hostile) {
      const response = await rawRequest(guarded.port, request);
      expect(response.status === 200 && response.headers['content-type'] === TEXT_CONTENT_TYPE).toBe(false);
    }
  });
});
