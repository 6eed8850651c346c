// Request telemetry of the example, end to end: a caller's traceparent reaches the OTLP receiver as
// the parent of the API's server span, which parents batch.submission; the request id is on both
// and in the log; /metrics has RED metrics by route template, bounded under a path scan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@ogf/testkit/otlp-receiver';
import { promtoolCheckMetrics } from '@ogf/testkit/promtool';
import { waitFor } from './helpers/api.ts';
import { knownActivities } from './helpers/expected.ts';
import { startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function post(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/api/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ org_id: 'org-r', activities: knownActivities(2, 'r') }),
  });
}

describe('request telemetry in the example', () => {
  const data = tempDataDir();
  let receiver: OtlpReceiver;
  let server: ServerProcess;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    server = await startServerProcess({
      DATA_DIR: data.dir,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'batch-server-requests',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    data.remove();
  });

  const serverSpanOf = (spans: ReceivedSpan[], requestId: string): ReceivedSpan | undefined =>
    spans.find((s) => s.kind === 'server' && s.attributes['http.request.id'] === requestId);

  it('puts the server span under the caller span and batch.submission under it, with the request id on both and in the access log', async () => {
    const response = await post(server.url, { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, 'x-request-id': 'req-e2e-1' });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe('req-e2e-1');
    // The server span ends after the response, so it can come in a later export than the submission.
    const spans = await receiver.waitForSpans(
      (all) =>
        all.some((s) => s.name === 'batch.submission' && s.attributes['http.request.id'] === 'req-e2e-1') &&
        serverSpanOf(all, 'req-e2e-1') !== undefined,
      20_000,
    );
    const request = serverSpanOf(spans, 'req-e2e-1');
    expect(request).toMatchObject({ name: 'POST /api/v1/batches', traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN });
    expect(request?.attributes).toMatchObject({ 'http.route': '/api/v1/batches', 'http.response.status_code': 202 });
    const submission = spans.find((s) => s.name === 'batch.submission' && s.traceId === CALLER_TRACE);
    expect(submission?.parentSpanId).toBe(request?.spanId);
    expect(submission?.attributes['http.request.id']).toBe('req-e2e-1');
    // The log comes through the process's stdout, apart from the spans: wait for its lines too.
    const lines = await waitFor(
      async () => {
        const mine = server.logLines().filter((line) => line.request_id === 'req-e2e-1');
        const complete = mine.some((line) => line.event === 'http.request') && mine.some((line) => line.msg === 'batch queued');
        return Promise.resolve(complete ? mine : undefined);
      },
      'the log lines of req-e2e-1',
      20_000,
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ event: 'http.request', trace_id: CALLER_TRACE, span_id: request?.spanId, status: 202 }),
    );
    // Every line written while the request was handled carries the id, not only the access log.
    expect(lines.some((line) => line.msg === 'batch queued')).toBe(true);
  });

  it('answers 202 in a fresh trace with a generated request id when traceparent and X-Request-ID are malformed', async () => {
    const response = await post(server.url, { traceparent: `00-${CALLER_TRACE}-nothex!-01`, 'x-request-id': 'no spaces allowed' });
    expect(response.status).toBe(202);
    const id = response.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    const spans = await receiver.waitForSpans((all) => serverSpanOf(all, id) !== undefined, 20_000);
    const request = serverSpanOf(spans, id);
    expect(request?.traceId).not.toBe(CALLER_TRACE);
    expect(request?.parentSpanId).toBeFalsy();
  });

  it('keeps /metrics bounded by route template through a scan of 10,000 distinct paths', async () => {
    expect((await post(server.url, {})).status).toBe(202);
    const paths = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? `/api/v1/batches/scan-${i}` : `/scan/${i}/x`));
    const workers = Array.from({ length: 16 }, async () => {
      for (let path = paths.pop(); path !== undefined; path = paths.pop()) await (await fetch(`${server.url}${path}`)).arrayBuffer();
    });
    await Promise.all(workers);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(promtoolCheckMetrics(text)).toEqual({ exitCode: 0, findings: [] });
    const series = text.split('\n').filter((line) => line.startsWith('http_server_request_duration_seconds_count'));
    expect(series).toContainEqual(expect.stringMatching(/http_response_status_code="202",http_route="\/api\/v1\/batches",/));
    expect(series).toContainEqual(expect.stringMatching(/http_response_status_code="404",http_route="\/api\/v1\/batches\/:id",.*\} 5000$/));
    expect(series.some((line) => /scan|req-e2e|metrics|health/.test(line))).toBe(false);
    expect(series.length).toBeLessThanOrEqual(6);
  });
});
