// The reliability probe, reproducible: boots the example as a child process (from source, on a
// port the kernel picks with PORT=0, in a temporary directory) and runs the probe's cases against
// it: injection, oversized and slow requests, path tricks, auth variants, bounds, many
// organisations, memory over time, SIGTERM with a silent client, a second signal, kill -9 and a
// restart. Prints PASS/FAIL per case and exits 1 if any failed.
//
//   pnpm --filter @ogf/example-batch-server probe            # 5,000 organisations (a few minutes)
//   PROBE_ORGS=500 pnpm --filter @ogf/example-batch-server probe
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { promtoolCheckMetrics } from '@ogf/testkit/promtool';
import { getJson, waitFor, waitForBatch, type ApiJson } from '../test/helpers/api.ts';
import { expectedKg, knownActivities } from '../test/helpers/expected.ts';
import { startServerProcess, tempDataDir, type ServerProcess } from '../test/helpers/server-process.ts';

const API_TOKEN = 'probe-api-token-0123456789';
const STATUS_TOKEN = 'probe-status-token-0123456789';
const ORGS = Number(process.env.PROBE_ORGS ?? 5_000);
const results: { name: string; ok: boolean; detail: string }[] = [];

async function check(name: string, run: () => Promise<string | true> | string | true): Promise<void> {
  let ok = false;
  let detail = '';
  try {
    const outcome = await run();
    ok = outcome === true;
    detail = outcome === true ? '' : outcome;
  } catch (error) {
    detail = error instanceof Error ? error.message : String(error);
  }
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `  (${detail.slice(0, 200)})` : ''}`);
}

/** True, or a short description of what came back instead. */
function expectStatus(actual: number, expected: number, extra = ''): string | true {
  return actual === expected ? true : `expected ${expected}, got ${actual}${extra ? `: ${extra}` : ''}`;
}

const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const JSON_TYPE = { 'content-type': 'application/json' };

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = { ...JSON_TYPE, ...auth(API_TOKEN) },
): Promise<{ status: number; json: ApiJson; headers: Headers }> {
  const response = await fetch(`${url}/api/v1/batches`, { method: 'POST', headers, body });
  const text = await response.text();
  let json = {} as ApiJson;
  try {
    json = JSON.parse(text) as ApiJson;
  } catch {
    // not JSON: left empty, the status says enough
  }
  return { status: response.status, json, headers: response.headers };
}

/** Raw bytes on a fresh connection; resolves with everything received once the server closes it or `waitMs` pass. */
function raw(
  port: number,
  bytes: string | Buffer,
  options: { waitMs?: number; thenWrite?: string } = {},
): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closedByServer = false;
    const timer = setTimeout(() => socket.destroy(), options.waitMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', () => (closedByServer = true));
    socket.on('error', () => (closedByServer = true));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedByServer });
    });
    socket.write(bytes);
  });
}

const statusOf = (text: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

function logRecords(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function probeRunningServer(server: ServerProcess, logFile: string): Promise<void> {
  const { url, port } = server;

  // Injection
  await check('SQL in a list filter is refused (400)', async () =>
    expectStatus((await getJson(`${url}/api/v1/batches?org_id=${encodeURIComponent("' OR 1=1--")}`)).status, 400),
  );
  await check('SQL in an activity id is stored as text and the tables survive', async () => {
    const submitted = await post(
      url,
      JSON.stringify({ org_id: 'inject', activities: [{ id: "a'); DROP TABLE batches;--", type: 'diesel', quantity: 1, unit: 'L' }] }),
    );
    if (submitted.status !== 202) return `submit ${submitted.status}`;
    const done = await waitForBatch(url, submitted.json.batch_id, 60_000);
    return done.status === 'completed' && (await getJson(`${url}/api/v1/batches?limit=1`)).status === 200 ? true : `batch ${done.status}`;
  });
  await check('__proto__ keys do not pollute and do not crash', async () => {
    const response = await post(
      url,
      '{"org_id":"proto","__proto__":{"polluted":1},"activities":[{"id":"a","type":"diesel","quantity":1,"unit":"L","constructor":{"prototype":{"x":1}}}]}',
    );
    return [202, 400].includes(response.status) ? true : `got ${response.status}`;
  });
  await check('NUL in an activity id: 400 naming the field', async () => {
    const response = await post(
      url,
      JSON.stringify({ org_id: 'a', activities: [{ id: 'a\u0000', type: 'diesel', quantity: 1, unit: 'L' }] }),
    );
    return response.status === 400 && response.json.error.fields?.[0]?.path === 'activities[0].id'
      ? true
      : `got ${response.status} ${JSON.stringify(response.json)}`;
  });
  await check('NUL in the batch path: 404', async () => expectStatus((await fetch(`${url}/api/v1/batches/%00`)).status, 404));
  await check('non-identifier org_id (spaces, emoji): 400', async () =>
    expectStatus((await post(url, JSON.stringify({ org_id: 'a b 😀', activities: knownActivities(1) }))).status, 400),
  );
  await check('a newline in an activity id cannot forge a log line', async () => {
    const submitted = await post(
      url,
      JSON.stringify({ org_id: 'logs', activities: [{ id: 'x\n{"level":60,"msg":"forged"}', type: 'diesel', quantity: 1, unit: 'L' }] }),
    );
    if (submitted.status !== 202) return `submit ${submitted.status}`;
    await waitForBatch(url, submitted.json.batch_id, 60_000);
    return logRecords(logFile).some((line) => line.msg === 'forged') ? 'a forged record was parsed' : true;
  });

  // Oversized and slow
  await check('a body over 1 MB: 413', async () => {
    const bytes = 1024 * 1024 + 1;
    const answer = await raw(
      port,
      `POST /api/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${API_TOKEN}\r\nContent-Length: ${bytes}\r\n\r\n${' '.repeat(bytes)}`,
    );
    return expectStatus(statusOf(answer.text), 413);
  });
  await check('10,001 activities: 400', async () =>
    expectStatus((await post(url, JSON.stringify({ org_id: 'big', activities: knownActivities(10_001) }))).status, 400),
  );
  await check('32 KB of headers: 431', async () =>
    expectStatus(statusOf((await raw(port, `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`)).text), 431),
  );
  await check('slow headers (slowloris): 408 and closed by the server', async () => {
    const answer = await raw(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n', { waitMs: 20_000 });
    return answer.closedByServer && statusOf(answer.text) === 408
      ? true
      : `closed by server: ${answer.closedByServer}, got ${JSON.stringify(answer.text.slice(0, 40))}`;
  });
  await check('slow body: closed by the server once the request timeout passes', async () => {
    const answer = await raw(
      port,
      `POST /api/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${API_TOKEN}\r\nContent-Length: 1000\r\n\r\n{"org_id":`,
      { waitMs: 20_000 },
    );
    return answer.closedByServer ? true : 'still open after 20 s';
  });
  await check('JSON nested 100,000 deep: 400, server alive', async () => {
    const response = await post(url, `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    return response.status === 400 && (await fetch(`${url}/health/live`)).status === 200 ? true : `got ${response.status}`;
  });

  // Path tricks
  for (const path of [
    '/api/v1/batches/..%2F..%2Fmetrics',
    '/api/v1/batches/%2e%2e',
    '/api/v1/batches/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/nowhere',
  ]) {
    await check(`${path}: 404`, async () =>
      expectStatus(statusOf((await raw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).text), 404),
    );
  }
  for (const path of ['//metrics', '/METRICS', '/metrics/', '/%6Detrics', '/api/v1/metrics']) {
    await check(`${path} without the status token: 401`, async () =>
      expectStatus(statusOf((await raw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).text), 401),
    );
  }

  // Auth variants
  const one = JSON.stringify({ org_id: 'auth', activities: knownActivities(1) });
  await check('POST without a token: 401 with a challenge', async () => {
    const response = await post(url, one, JSON_TYPE);
    return response.status === 401 && response.headers.get('www-authenticate')?.startsWith('Bearer') ? true : `got ${response.status}`;
  });
  await check('POST with a wrong token: 401', async () =>
    expectStatus((await post(url, one, { ...JSON_TYPE, ...auth('wrong-token-0123456789') })).status, 401),
  );
  await check('POST with the status token: 401', async () =>
    expectStatus((await post(url, one, { ...JSON_TYPE, ...auth(STATUS_TOKEN) })).status, 401),
  );
  await check('POST with "bearer" in lower case: 202', async () =>
    expectStatus((await post(url, one, { ...JSON_TYPE, authorization: `bearer ${API_TOKEN}` })).status, 202),
  );
  await check('DELETE without a token: 401', async () =>
    expectStatus((await fetch(`${url}/api/v1/batches/00000000-0000-0000-0000-000000000000`, { method: 'DELETE' })).status, 401),
  );
  await check('/metrics with the API token: 401', async () =>
    expectStatus((await fetch(`${url}/metrics`, { headers: auth(API_TOKEN) })).status, 401),
  );
  await check('/metrics with the status token: 200, promtool-clean', async () => {
    const response = await fetch(`${url}/metrics`, { headers: auth(STATUS_TOKEN) });
    const findings = promtoolCheckMetrics(await response.text()).findings;
    return response.status === 200 && findings.length === 0 ? true : `got ${response.status}, ${findings.join('; ')}`;
  });
  await check('/health/ready needs no token: 200', async () => expectStatus((await fetch(`${url}/health/ready`)).status, 200));

  // Bounds and content types
  for (const [quantity, unit] of [
    [1e300, 'kWh'],
    [1e308, 'GWh'],
    [-4, 'L'],
  ] as const) {
    await check(`quantity ${quantity} ${unit}: 400`, async () =>
      expectStatus(
        (
          await post(
            url,
            JSON.stringify({
              org_id: 'q',
              activities: [{ id: 'a', type: unit === 'L' ? 'diesel' : 'electricity', region: 'US', quantity, unit }],
            }),
          )
        ).status,
        400,
      ),
    );
  }
  await check('Content-Type text/plain: 415', async () =>
    expectStatus((await post(url, one, { 'content-type': 'text/plain', ...auth(API_TOKEN) })).status, 415),
  );
  await check('malformed JSON: 400', async () => expectStatus((await post(url, '{"org_id": ')).status, 400));

  // Headers
  await check("HEAD /metrics carries the GET body's Content-Length", async () => {
    const get = Buffer.byteLength(await (await fetch(`${url}/metrics`, { headers: auth(STATUS_TOKEN) })).text());
    const head = await fetch(`${url}/metrics`, { method: 'HEAD', headers: auth(STATUS_TOKEN) });
    return Number(head.headers.get('content-length')) === get ? true : `HEAD ${head.headers.get('content-length')}, GET ${get}`;
  });
  await check('API answers are nosniff and no-store', async () => {
    const response = await fetch(`${url}/api/v1/batches`);
    return response.headers.get('x-content-type-options') === 'nosniff' && response.headers.get('cache-control') === 'no-store'
      ? true
      : 'missing';
  });
  await check('keep-alive timeout announced', async () => {
    const answer = await raw(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', { waitMs: 1_000 });
    return /\r\nKeep-Alive: timeout=5\r\n/i.test(answer.text) ? true : 'no Keep-Alive: timeout=5';
  });

  // Correctness
  await check("a valid batch completes with the factor table's total", async () => {
    const activities = knownActivities(9);
    const submitted = await post(url, JSON.stringify({ org_id: 'acme', activities }));
    const done = await waitForBatch(url, submitted.json.batch_id, 60_000);
    const expected = activities.reduce((sum, activity) => sum + expectedKg(activity), 0);
    return done.status === 'completed' && Math.abs(done.total_emissions_kg - expected) < 1e-3
      ? true
      : `${done.status} ${done.total_emissions_kg} vs ${expected}`;
  });

  // Many organisations, memory over time
  const rssBefore = rssMb(server.child.pid);
  await check(`${ORGS} organisations: every batch completes, /metrics does not grow with them`, async () => {
    const metricsBefore = (await (await fetch(`${url}/metrics`, { headers: auth(STATUS_TOKEN) })).text()).split('\n').length;
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < ORGS) {
          const org = `org-${next++}`;
          for (;;) {
            const response = await post(url, JSON.stringify({ org_id: org, activities: knownActivities(2) }));
            if (response.status === 202) {
              ids.push(response.json.batch_id);
              break;
            }
            if (response.status !== 429) throw new Error(`submit for ${org}: ${response.status}`);
            await new Promise((resolve) => setTimeout(resolve, 1_000 * Number(response.headers.get('retry-after') ?? 1)));
          }
        }
      }),
    );
    let completed = 0;
    for (const id of ids) if ((await waitForBatch(url, id, 300_000)).status === 'completed') completed += 1;
    const { json } = await fetch(`${url}/metrics/json`, { headers: auth(STATUS_TOKEN) }).then(async (r) => ({
      json: (await r.json()) as { queue_size: number },
    }));
    const metricsAfter = (await (await fetch(`${url}/metrics`, { headers: auth(STATUS_TOKEN) })).text()).split('\n').length;
    if (completed < ORGS) return `only ${completed} of ${ORGS} completed`;
    if (metricsAfter > metricsBefore + 50) return `/metrics grew from ${metricsBefore} to ${metricsAfter} lines`;
    return json.queue_size === 0 ? true : `queue ${json.queue_size}`;
  });
  await check('memory after the organisations (RSS, MB)', () => {
    const rssAfter = rssMb(server.child.pid);
    console.log(`      RSS before ${rssBefore} MB, after ${rssAfter} MB`);
    return rssAfter < rssBefore + 300 ? true : `RSS grew from ${rssBefore} to ${rssAfter} MB`;
  });

  // Shutdown with a silent client and a batch in flight
  await check('SIGTERM with a silent TCP client: 503 + Retry-After while draining, exit 0, every log line on disk', async () => {
    const silent = connect(port, '127.0.0.1');
    silent.resume();
    silent.on('error', () => undefined);
    const slow = await post(url, JSON.stringify({ org_id: 'slow', activities: knownActivities(60, 's') }));
    await waitFor(
      async () => ((await getJson(`${url}/api/v1/batches/${slow.json.batch_id}`)).json.counts.processed > 0 ? true : undefined),
      'the slow batch to start',
    );
    server.kill('SIGTERM');
    await waitFor(async () => ((await fetch(`${url}/health/ready`)).status === 503 ? true : undefined), 'readiness to fail', 20_000);
    const refused = await post(url, one);
    const code = await server.exited;
    silent.destroy();
    const records = logRecords(logFile);
    if (refused.status !== 503 || !refused.headers.get('retry-after')) return `during the drain: ${refused.status}`;
    if (code !== 0) return `exit ${code}`;
    return records.some((line) => line.event === 'shutdown.end') && records.at(-1)?.msg === 'shutdown complete'
      ? true
      : `last record: ${JSON.stringify(records.at(-1))}`;
  });
}

async function probeSignalsAndCrash(): Promise<void> {
  const data = tempDataDir();
  const logFile = `${data.dir}/server.log`;
  try {
    const env = { DATA_DIR: `${data.dir}/db`, LOG_FILE: logFile, WORKERS: '1', ACTIVITY_DELAY_MS: '100' };
    const first = await startServerProcess(env);
    const long = await post(first.url, JSON.stringify({ org_id: 'long', activities: knownActivities(200) }), JSON_TYPE);
    const id = long.json.batch_id;
    await waitFor(
      async () => ((await getJson(`${first.url}/api/v1/batches/${id}`)).json.counts.processed > 0 ? true : undefined),
      'the long batch to start',
    );
    await check('a second signal mid-drain: exit 1, the forced-exit record on disk', async () => {
      first.kill('SIGTERM');
      await waitFor(
        () => Promise.resolve(logRecords(logFile).some((line) => line.event === 'shutdown.begin') ? true : undefined),
        'shutdown to begin',
      );
      // A different signal: a repeat of the first within a second would be taken for a forwarded copy.
      first.kill('SIGINT');
      const code = await first.exited;
      return code === 1 && logRecords(logFile).at(-1)?.event === 'shutdown.forced'
        ? true
        : `exit ${code}, last ${JSON.stringify(logRecords(logFile).at(-1))}`;
    });

    const second = await startServerProcess(env);
    await check('kill -9 mid-batch, restart: the batch completes, each activity stored once', async () => {
      const crash = await post(second.url, JSON.stringify({ org_id: 'crash', activities: knownActivities(60, 'k') }), JSON_TYPE);
      await waitFor(
        async () => ((await getJson(`${second.url}/api/v1/batches/${crash.json.batch_id}`)).json.counts.processed >= 5 ? true : undefined),
        'the batch to be midway',
      );
      second.kill('SIGKILL');
      await second.exited;
      const third = await startServerProcess(env);
      try {
        const done = await waitForBatch(third.url, crash.json.batch_id, 300_000);
        const ready = (await fetch(`${third.url}/health/ready`)).status;
        return done.status === 'completed' && done.counts.processed === 60 && done.counts.succeeded === 60 && ready === 200
          ? true
          : `${done.status} ${JSON.stringify(done.counts)} ready ${ready}`;
      } finally {
        await third.stop();
      }
    });
  } finally {
    data.remove();
  }
}

const data = tempDataDir();
const logFile = `${data.dir}/server.log`;
const server = await startServerProcess({
  DATA_DIR: `${data.dir}/db`,
  LOG_FILE: logFile,
  API_TOKEN,
  STATUS_TOKEN,
  QUEUE_CAPACITY: '200',
  HTTP_HEADERS_TIMEOUT_MS: '3000',
  HTTP_REQUEST_TIMEOUT_MS: '6000',
  ACTIVITY_DELAY_MS: '10',
  SHUTDOWN_TIMEOUT_MS: '60000',
});
try {
  await probeRunningServer(server, logFile);
} finally {
  await server.stop();
  data.remove();
}
await probeSignalsAndCrash();

const failed = results.filter((result) => !result.ok);
console.log(
  `\n${results.length - failed.length} of ${results.length} cases passed${failed.length ? `; failed: ${failed.map((f) => f.name).join(' | ')}` : ''}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
