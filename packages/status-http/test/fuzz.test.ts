// Random requests against the status routes: methods, paths (encodings, dot segments, case,
// doubled slashes, NUL), headers, Accept values and tokens. Every request gets a well-formed
// answer (a known status, no-store, nosniff, a body of the type it declares, 401 on every
// spelling of a guarded route without the token) and nothing throws out of the handler; every
// /metrics body passes promtool or the strict OpenMetrics parser. Then the same through a real
// server, with raw bytes on the socket.
// CI runs fixed seeds; OGF_FUZZ_RUNS=5000 runs that many random cases (the seed of a failure is printed).
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '@ogf/core';
import { createStatusHandler, STATUS_ROUTES, type StatusAppOptions } from '@ogf/status-http';
import { startStatusServer, type StatusServer } from '@ogf/status-http/node';
import { degradedChecker, seedWorkloadSource } from './fixtures/real-sources.js';

const TOKEN = 'fuzz-token-3f9a';
const runs = Number(process.env.OGF_FUZZ_RUNS ?? 0);
const fuzz = (seed: number, numRuns: number): fc.Parameters<unknown> => (runs > 0 ? { numRuns: runs } : { numRuns, seed });

const ROUTE_PATHS = STATUS_ROUTES.map((route) => route.path);
const SEGMENTS = [
  'health',
  'live',
  'ready',
  'status',
  'metrics',
  'json',
  'api',
  'v1',
  'prometheus',
  '.',
  '..',
  '',
  '%2e',
  '%2E%2e',
  '%2F',
  '%00',
  '%',
  '%zz',
  '%6Detrics',
  'METRICS',
  'Health',
  ';x',
  ';a=b',
  '%3B',
  '\u00e9',
  '%C3%A9',
  '%FF',
  '~',
  '*',
  'metrics.json',
];
const pathArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ROUTE_PATHS) },
  fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
  fc
    .tuple(
      fc.constantFrom(...ROUTE_PATHS),
      fc.constantFrom('/', '//', '/.', '/..', ';x', '%2F', '?a=1', '?token=x', '#frag', '%00', '/%2e%2e/metrics'),
    )
    .map(([path, tail]) => `${path}${tail}`),
  fc.webPath(),
);
const methodArb = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'get');
const acceptArb = fc.oneof(
  fc.constantFrom(
    '',
    '*/*',
    'text/plain',
    'text/plain;version=0.0.4',
    'application/openmetrics-text',
    'application/openmetrics-text;version=1.0.0;q=0.9,*/*;q=0.1',
    'application/openmetrics-text;version=0.0.1',
    'application/openmetrics-text; q=0',
    'application/json',
    'text/html,application/xhtml+xml;q=0.9',
    ';;;,,,',
    'q=1',
    '*/*;q=nan',
  ),
  fc.string({ maxLength: 40 }),
);
const tokenArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(`Bearer ${TOKEN}`) },
  fc.constant(undefined),
  fc.constantFrom(
    `Bearer ${TOKEN}`,
    `bearer ${TOKEN}`,
    `Bearer  ${TOKEN}`,
    `Bearer ${TOKEN} `,
    `Basic ${TOKEN}`,
    'Bearer',
    'Bearer ',
    `Bearer ${TOKEN}x`,
    `Bearer ${TOKEN.slice(1)}`,
    TOKEN,
  ),
  fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`),
);
const headerValue = fc.string({ maxLength: 40 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s));
const requestArb = fc.record({
  method: methodArb,
  path: pathArb,
  accept: acceptArb,
  authorization: tokenArb,
  origin: fc.option(fc.constantFrom('https://ops.example.com', 'https://evil.example', 'null', ''), { nil: undefined }),
  extra: fc.dictionary(
    fc.constantFrom('x-forwarded-for', 'cookie', 'range', 'if-none-match', 'accept-encoding', 'content-type'),
    headerValue,
    { maxKeys: 3 },
  ),
});

// The scheme is case-insensitive (RFC 9110); the token itself must match exactly.
const AUTHORIZED = new RegExp(`^bearer +${TOKEN}$`, 'i');
const KNOWN_STATUSES = new Set([200, 204, 400, 401, 404, 405, 503]);

function isPlainHeader(value: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(value);
}

describe('fuzzed requests to the fetch handler', () => {
  const options: StatusAppOptions = {
    health: degradedChecker(),
    metrics: seedWorkloadSource(),
    token: TOKEN,
    cors: { origin: ['https://ops.example.com'] },
    service: { name: 'fuzz', version: '1', environment: 'test' },
  };
  const handler = createStatusHandler(options);
  const metricsBodies = new Map<string, string>();

  it('answers every request with a well-formed response and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const headers = new Headers();
        if (isPlainHeader(r.accept)) headers.set('accept', r.accept);
        if (r.authorization !== undefined && isPlainHeader(r.authorization)) headers.set('authorization', r.authorization);
        if (r.origin !== undefined) headers.set('origin', r.origin);
        for (const [name, value] of Object.entries(r.extra)) headers.set(name, value);
        const request = new Request(`http://status.test${r.path.startsWith('/') ? r.path : `/${r.path}`}`, { method: r.method, headers });

        const response = await handler(request);
        expect(KNOWN_STATUSES.has(response.status), `${r.method} ${r.path} → ${response.status}`).toBe(true);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const body = await response.text();
        if (response.status === 204 || request.method === 'HEAD') {
          expect(body).toBe('');
          return;
        }
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        const type = response.headers.get('content-type') ?? '';
        if (type === TEXT_CONTENT_TYPE || type === OPENMETRICS_CONTENT_TYPE) {
          expect(response.status).toBe(200);
          expect(request.headers.get('authorization')).toMatch(AUTHORIZED);
          metricsBodies.set(type, body);
        } else {
          expect(type).toBe('application/json');
          const json = JSON.parse(body) as Record<string, unknown>;
          // What the token guards (the metrics JSON, /status) is never served without it.
          if ('batches_submitted' in json || 'service_name' in json) expect(request.headers.get('authorization')).toMatch(AUTHORIZED);
        }
      }),
      fuzz(20251127, 400),
    );
    // The expositions it served (each format asked for once more, in case no random case did):
    // clean for promtool, parsed by the strict OpenMetrics parser.
    for (const accept of ['text/plain', 'application/openmetrics-text']) {
      const response = await handler(new Request('http://status.test/metrics', { headers: { accept, authorization: `Bearer ${TOKEN}` } }));
      metricsBodies.set(response.headers.get('content-type') ?? '', await response.text());
    }
    const text = metricsBodies.get(TEXT_CONTENT_TYPE);
    const om = metricsBodies.get(OPENMETRICS_CONTENT_TYPE);
    expect(text && om).toBeTruthy();
    assertPromtoolClean(text!);
    expect(parseOpenMetrics(om!).length).toBeGreaterThan(0);
  }, 300_000);
});

/** Writes bytes on a fresh connection; resolves with what came back once the server closes it (or after `idleMs` of silence past an answer). */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(bytes.slice(0, 80))}`)));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // One full answer is enough; the connection may stay open (keep-alive).
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(received.slice(0, end))?.[1];
      const isHead = bytes.startsWith('HEAD ');
      if (length === undefined || isHead || received.length >= end + 4 + Number(length)) socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    );
    socket.on('close', () => resolve(received));
    socket.write(bytes, 'latin1');
  });
}

describe('fuzzed raw requests to a real status server', () => {
  let server: StatusServer;
  beforeAll(async () => {
    server = await startStatusServer({ health: degradedChecker(), metrics: seedWorkloadSource(), token: TOKEN, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const rawTarget = fc.oneof(pathArb, fc.string({ unit: 'binary-ascii', maxLength: 30 }));
  const rawHeaderValue = fc.oneof(headerValue, fc.string({ unit: 'binary-ascii', maxLength: 20 }));
  const rawRequestArb = fc.record({
    method: fc.oneof(methodArb, fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 8 })),
    target: rawTarget,
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 ', 'http/1.1', ''),
    headers: fc.array(
      fc.tuple(fc.constantFrom('Host', 'Accept', 'Authorization', 'Content-Length', 'Transfer-Encoding', 'X-A'), rawHeaderValue),
      { maxLength: 4 },
    ),
  });

  it('answers every request line a client can send with one parsable HTTP response or a clean close', async () => {
    let cases = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(rawRequestArb, async (r) => {
        const lines = [
          `${r.method} ${r.target} ${r.version}`.trimEnd(),
          'Host: status',
          ...r.headers.map(([name, value]) => `${name}: ${value}`),
          'Connection: close',
        ];
        const answer = await rawExchange(server.port, `${lines.join('\r\n')}\r\n\r\n`);
        cases += 1;
        if (answer === '') return; // closed without a byte: nothing half-written
        answered += 1;
        expect(answer, JSON.stringify(lines)).toMatch(/^HTTP\/1\.1 [1-5]\d\d /);
        const status = Number(answer.slice(9, 12));
        if (status < 500) return;
        // A 5xx is only ever the status routes' own 503 (a failing source), never a crash.
        expect(status, answer.slice(0, 300)).toBe(503);
      }),
      fuzz(20251128, 150),
    );
    // Most cases get an answer (a 400 for what does not parse): the property is not passing on silence.
    expect(answered).toBeGreaterThan(cases / 2);
    // Still serving after all of it.
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
  }, 300_000);
});
