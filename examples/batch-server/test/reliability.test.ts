// The failures a probe of the running example found, each kept as a regression test: a silent
// TCP client blocking shutdown, log lines lost at exit with LOG_FILE, no timeouts of our own,
// 429 instead of 503 during the drain, an open API, a store that only grows.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor, type ApiJson } from './helpers/api.ts';
import { knownActivities } from './helpers/expected.ts';
import { startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

const API_TOKEN = 'api-token-0123456789abcdef';
const STATUS_TOKEN = 'status-token-0123456789abcdef';

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    // Flowing, so the server's FIN is read and 'close' follows (a paused socket never sees it).
    socket.resume();
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closeOf(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

async function submit(url: string, body: unknown, token?: string): Promise<{ status: number; json: ApiJson; headers: Headers }> {
  const response = await fetch(`${url}/api/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as ApiJson, headers: response.headers };
}

/** Log records written to the file, parsed. */
function fileRecords(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("the example under the probe's cases", () => {
  const data = tempDataDir();
  const logFile = `${data.dir}/server.log`;
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess({
      DATA_DIR: data.dir,
      LOG_FILE: logFile,
      WORKERS: '2',
      ACTIVITY_DELAY_MS: '50',
      API_TOKEN,
      STATUS_TOKEN,
      HTTP_HEADERS_TIMEOUT_MS: '500',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '2000',
      // 1.2 s: finished batches are pruned within seconds of finishing.
      RETENTION_MINUTES: '0.02',
      SHUTDOWN_TIMEOUT_MS: '60000',
    });
  });

  afterAll(async () => {
    await server?.stop();
    data.remove();
  });

  it('takes submissions and cancellations only with the API token, and keeps it apart from the status token', async () => {
    const body = { org_id: 'acme', activities: knownActivities(1) };
    const anonymous = await submit(server.url, body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="batches"');
    const wrong = await submit(server.url, body, STATUS_TOKEN);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await getJson(`${server.url}/api/v1/batches`)).json.total).toBe(0);

    const accepted = await submit(server.url, body, API_TOKEN);
    expect(accepted.status).toBe(202);
    const id = accepted.json.batch_id;
    expect((await fetch(`${server.url}/api/v1/batches/${id}`, { method: 'DELETE' })).status).toBe(401);
    expect((await getJson(`${server.url}/api/v1/batches/${id}`)).status).toBe(200);

    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${STATUS_TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
  });

  it('announces its keep-alive timeout and closes a client that never finishes its headers with 408', async () => {
    const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
      request(`${server.url}/health/live`, (response) => {
        response.resume();
        resolve(String(response.headers['keep-alive']));
      })
        .once('error', reject)
        .end();
    });
    expect(keepAlive).toBe('timeout=2');

    const slow = await openSocket(server.port);
    let received = '';
    slow.on('data', (chunk: Buffer) => (received += chunk.toString()));
    slow.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
    // Node's default keeps it open 60-90 s; the test's own budget would end first.
    await closeOf(slow);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('deletes finished batches once they are older than RETENTION_MINUTES', async () => {
    const accepted = await submit(server.url, { org_id: 'retained', activities: knownActivities(2) }, API_TOKEN);
    expect(accepted.status).toBe(202);
    const id = accepted.json.batch_id;
    await waitFor(
      async () => ((await getJson(`${server.url}/api/v1/batches/${id}`)).json.status === 'completed' ? true : undefined),
      'the batch to complete',
    );
    await waitFor(
      async () => ((await getJson(`${server.url}/api/v1/batches/${id}`)).status === 404 ? true : undefined),
      'the batch to be pruned',
    );
    // The prune logs after it deleted: a GET in between already answers 404.
    await waitFor(
      () => Promise.resolve(fileRecords(logFile).some((line) => line.msg === 'finished batches pruned') ? true : undefined),
      'the prune to be logged',
      20_000,
    );
  });

  it('on SIGTERM with a silent TCP client open: 503 + Retry-After for new batches, the batch in flight finishes, every log line is on disk, exit 0', async () => {
    // A load balancer's TCP check: connects, never sends a byte.
    const silent = await openSocket(server.port);
    const slow = await submit(server.url, { org_id: 'slow', activities: knownActivities(60, 's') }, API_TOKEN);
    const slowId = slow.json.batch_id;
    await waitFor(
      async () => ((await getJson(`${server.url}/api/v1/batches/${slowId}`)).json.counts.processed > 0 ? true : undefined),
      'the slow batch to start',
    );

    server.kill('SIGTERM');
    await waitFor(async () => ((await fetch(`${server.url}/health/ready`)).status === 503 ? true : undefined), 'readiness to fail', 20_000);
    const refused = await submit(server.url, { org_id: 'late', activities: knownActivities(1) }, API_TOKEN);
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('shutting_down');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    expect(await server.exited).toBe(0);
    await closeOf(silent);
    const records = fileRecords(logFile);
    expect(records.find((line) => line.msg === 'batch completed' && line.batch_id === slowId)).toMatchObject({ success: 60 });
    expect(records.find((line) => line.event === 'shutdown.end')).toMatchObject({ ok: true });
    expect(records.at(-1)?.msg).toBe('shutdown complete');
    expect(records.some((line) => line.event === 'shutdown.forced')).toBe(false);
  });
});

describe('a forced exit with LOG_FILE', () => {
  const data = tempDataDir();
  const logFile = `${data.dir}/server.log`;
  let server: ServerProcess;

  afterAll(async () => {
    await server?.stop();
    data.remove();
  });

  it('still writes the forced-exit record to the file when a second signal ends the drain', async () => {
    server = await startServerProcess({ DATA_DIR: data.dir, LOG_FILE: logFile, WORKERS: '1', ACTIVITY_DELAY_MS: '200' });
    const long = await submit(server.url, { org_id: 'long', activities: knownActivities(500) });
    const id = long.json.batch_id;
    await waitFor(
      async () => ((await getJson(`${server.url}/api/v1/batches/${id}`)).json.counts.processed > 0 ? true : undefined),
      'the long batch to start',
    );
    server.kill('SIGTERM');
    await waitFor(
      () => Promise.resolve(fileRecords(logFile).some((line) => line.event === 'shutdown.begin') ? true : undefined),
      'shutdown to begin',
    );
    // A different signal: a repeat of the first within a second would be taken for a forwarded copy.
    server.kill('SIGINT');
    expect(await server.exited).toBe(1);
    expect(fileRecords(logFile).at(-1)).toMatchObject({
      event: 'shutdown.forced',
      reason: 'second signal SIGINT during shutdown',
      pending_drains: ['in-flight batches'],
    });
  });
});
