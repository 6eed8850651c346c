// The main entry on Bun, Deno and workerd: bundled from source by serveOnRuntime, run for real.
import { fileURLToPath } from 'node:url';
import { bundleForRuntime, RUNTIMES, serveOnRuntime } from '@ogf/testkit/runtimes';
import { startOtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { describe, expect, it } from 'vitest';

const app = fileURLToPath(new URL('./fixtures/runtime-app.ts', import.meta.url));

interface Scenario {
  metrics: string;
  openMetrics: string;
  status: Record<string, unknown>;
  live: number;
  lines: Record<string, unknown>[];
  spanIds: { traceId: string; spanId: string };
  report: { ok: boolean; undeliveredSpans: number };
  request: { status: number; requestId: string | null };
}

it('bundles the main entry without any node: import', async () => {
  await expect(bundleForRuntime(app)).resolves.toContain('runtime-app');
});

describe.each(RUNTIMES)('on %s', (runtime) => {
  it('records, serves, logs with span ids and exports over OTLP', async () => {
    const receiver = await startOtlpReceiver();
    const server = await serveOnRuntime(runtime, app, { nodeCompat: true });
    try {
      const response = await fetch(`${server.url}/scenario?otlp=${encodeURIComponent(receiver.url)}`);
      const text = await response.text();
      expect(response.status, `${text}\n${server.output()}`).toBe(200);
      const result = JSON.parse(text) as Scenario;

      // One submission recorded by hand, one by the lifecycle inside the wrapped request.
      expect(result.metrics).toMatch(/^batch_submitted_total(\{[^}]*\})? 2$/m);
      // Exemplars by default: the batch's processing duration links to its trace (OpenMetrics only).
      expect(result.openMetrics).toContain(`} 1 # {trace_id="${result.spanIds.traceId}",span_id="${result.spanIds.spanId}"} 0.003 `);
      expect(result.metrics).not.toContain('trace_id');
      expect(result.status).toMatchObject({ service_name: 'runtime-app', environment: 'edge', metrics: { batches_completed: 1 } });
      expect(result.live).toBe(200);
      const inSpan = result.lines.find((line) => line.msg === 'after an await inside the span');
      expect(inSpan).toMatchObject({ trace_id: result.spanIds.traceId, span_id: result.spanIds.spanId, service_name: 'runtime-app' });
      expect(result.lines.some((line) => line.audit === 'batch.state_transition' && line.batch_id === 'edge-1')).toBe(true);
      expect(result.report, JSON.stringify(result.report)).toMatchObject({ ok: true, undeliveredSpans: 0 });

      expect(result.request).toEqual({ status: 202, requestId: 'edge-request-1' });
      expect(result.metrics).toMatch(/^http_server_request_duration_seconds_count\{[^}]*http_route="\/api\/v1\/batches"[^}]*\} 1$/m);
      expect(result.lines.find((line) => line.event === 'http.request')).toMatchObject({
        request_id: 'edge-request-1',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        route: '/api/v1/batches',
        status: 202,
      });

      const spans = await receiver.waitForSpans(4);
      const batch = spans.find((s) => s.name === 'batch.processing');
      expect(spans.find((s) => s.name === 'activity.processing')?.parentSpanId).toBe(batch?.spanId);
      const serverSpan = spans.find((s) => s.kind === 'server');
      expect(serverSpan).toMatchObject({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        parentSpanId: 'b7ad6b7169203331',
        name: 'POST /api/v1/batches',
      });
      expect(serverSpan?.attributes['http.request.id']).toBe('edge-request-1');
      const submission = spans.find((s) => s.name === 'batch.submission');
      expect(submission).toMatchObject({ traceId: serverSpan?.traceId, parentSpanId: serverSpan?.spanId });
      expect(submission?.attributes['http.request.id']).toBe('edge-request-1');
      await receiver.waitForMetrics((points) => points.some((p) => p.name === 'batch.submitted' && p.value === 2));
    } finally {
      await server.stop();
      await receiver.close();
    }
  }, 120_000);
});

describe('on workerd without nodejs_compat', () => {
  it('still records, serves and exports; only log lines after an await lack span ids (no AsyncLocalStorage)', async () => {
    const receiver = await startOtlpReceiver();
    const server = await serveOnRuntime('workerd', app);
    try {
      const response = await fetch(`${server.url}/scenario?otlp=${encodeURIComponent(receiver.url)}`);
      const result = JSON.parse(await response.text()) as Scenario;
      expect(result.metrics).toMatch(/^batch_completed_total(\{[^}]*\})? 1$/m);
      expect(result.report).toMatchObject({ ok: true, undeliveredSpans: 0 });
      expect(result.lines.find((line) => line.msg === 'after an await inside the span')).not.toHaveProperty('trace_id');
      await receiver.waitForSpans(2);
    } finally {
      await server.stop();
      await receiver.close();
    }
  }, 120_000);
});
