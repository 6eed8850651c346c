import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@ogf/testkit/otlp-receiver';
import { startPrometheus, type PrometheusServer } from '@ogf/testkit/prometheus';
import { promtoolCheckMetrics } from '@ogf/testkit/promtool';
import { getJson, submitBatch, waitFor, waitForBatch, type Activity } from './helpers/api.ts';
import { expectedKg, knownActivities } from './helpers/expected.ts';
import { sampleSum } from './helpers/exposition.ts';
import { startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

const BATCHES: Activity[][] = [
  knownActivities(5, 'a'),
  knownActivities(9, 'b'),
  [...knownActivities(3, 'c'), { id: 'c-bad', type: 'unobtainium', quantity: 1, unit: 'kg' }],
  knownActivities(1, 'd'),
];
const ACTIVITY_TOTAL = BATCHES.reduce((n, batch) => n + batch.length, 0);
const FAILED_TOTAL = 1;
const EMISSIONS = BATCHES.flat()
  .filter((a) => a.type !== 'unobtainium')
  .reduce((sum, a) => sum + expectedKg(a), 0);

describe('the instrumented server', () => {
  const data = tempDataDir();
  let receiver: OtlpReceiver;
  let server: ServerProcess;
  let prometheus: PrometheusServer | undefined;
  const batchIds: string[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    server = await startServerProcess({
      DATA_DIR: data.dir,
      WORKERS: '2',
      ACTIVITY_DELAY_MS: '40',
      // Transient faults on about 20% of steps, retried: counts and totals must not change. The
      // seed fixes the injector's random sequence, so faults happen on every run (8 in the first 36 calls).
      FAULT_RATE: '0.2',
      FAULT_SEED: '1',
      RETRY_ATTEMPTS: '10',
      RETRY_BASE_DELAY_MS: '5',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'batch-server-test',
      // The SIGTERM test drains a long batch; on a busy machine that may outlast the 25 s default.
      SHUTDOWN_TIMEOUT_MS: '120000',
    });
    for (const activities of BATCHES) {
      const submitted = await submitBatch(server.url, { org_id: `org-${batchIds.length % 2}`, activities });
      expect(submitted.status).toBe(202);
      batchIds.push(submitted.json.batch_id);
    }
    for (const id of batchIds) await waitForBatch(server.url, id);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await server?.stop();
    await receiver?.close();
    data.remove();
  });

  it('shows on /metrics the batches, activities and emissions the test submitted, in valid exposition', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(promtoolCheckMetrics(text)).toEqual({ exitCode: 0, findings: [] });
    expect(sampleSum(text, 'batch_submitted_total')).toBe(BATCHES.length);
    expect(sampleSum(text, 'batch_completed_total')).toBe(BATCHES.length);
    expect(sampleSum(text, 'activity_total')).toBe(ACTIVITY_TOTAL);
    expect(sampleSum(text, 'activity_success_total')).toBe(ACTIVITY_TOTAL - FAILED_TOTAL);
    expect(sampleSum(text, 'activity_failed_total')).toBe(FAILED_TOTAL);
    // Grams on the Prometheus side; EMISSIONS is in kilograms, as the API takes it.
    expect(sampleSum(text, 'emissions_grams_total')).toBeCloseTo(EMISSIONS * 1000, 0);
    expect(sampleSum(text, 'batch_state_transitions_total')).toBe(BATCHES.length * 3);
    expect(sampleSum(text, 'lock_acquisitions_total')).toBe(BATCHES.length);
    expect(sampleSum(text, 'workers_capacity')).toBe(2);
    expect(sampleSum(text, 'queue_size')).toBe(0);
    expect(sampleSum(text, 'batch_processing')).toBe(0);
    expect(sampleSum(text, 'batch_retries_total')).toBeGreaterThan(0);
    expect(sampleSum(text, 'batch_retries_success_total')).toBeGreaterThan(0);
  });

  it('retried the injected faults and still stored every activity exactly once', async () => {
    for (const [index, id] of batchIds.entries()) {
      const { json } = await getJson(`${server.url}/api/v1/batches/${id}`);
      expect(json.counts.processed).toBe(BATCHES[index]!.length);
    }
    expect(server.logLines().some((line) => line.msg === 'transient fault, retrying')).toBe(true);
  });

  it('agrees on /metrics/json and /status', async () => {
    const { json: summary } = await getJson<{
      total_emissions: number;
      success_rate: number;
      activity_latency_seconds: { p50: number | null };
    }>(`${server.url}/metrics/json`);
    expect(summary).toMatchObject({
      batches_submitted: BATCHES.length,
      batches_completed: BATCHES.length,
      batches_failed: 0,
      activities_total: ACTIVITY_TOTAL,
      activities_success: ACTIVITY_TOTAL - FAILED_TOTAL,
      activities_failed: FAILED_TOTAL,
      workers_capacity: 2,
      queue_size: 0,
      success_rate: Math.round(((ACTIVITY_TOTAL - FAILED_TOTAL) / ACTIVITY_TOTAL) * 1000) / 10,
      errors_by_type: { validation: FAILED_TOTAL },
    });
    expect(summary.total_emissions).toBeCloseTo(EMISSIONS, 2);
    expect(summary.activity_latency_seconds.p50).toBeGreaterThan(0);

    const { status, json: statusBody } = await getJson<{ metrics: { total_emissions: number } }>(`${server.url}/status`);
    expect(status).toBe(200);
    expect(statusBody).toMatchObject({
      service_name: 'batch-server-test',
      status: 'healthy',
      dependencies: { database: { status: 'healthy', message: '' } },
      metrics: { batches_submitted: BATCHES.length, batches_completed: BATCHES.length, queue_size: 0, success_rate: summary.success_rate },
    });
    expect(statusBody.metrics.total_emissions).toBeCloseTo(EMISSIONS, 2);
  });

  it('is scraped by a real Prometheus whose query API returns the same counts', async () => {
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${server.port}`] });
    await prometheus.waitForTargetsUp();
    expect(await prometheus.waitForValue('sum(batch_submitted_total)', BATCHES.length)).toBe(BATCHES.length);
    expect(await prometheus.waitForValue('sum(activity_total)', ACTIVITY_TOTAL)).toBe(ACTIVITY_TOTAL);
  });

  it('drains an in-flight batch on SIGTERM: readiness fails at once, liveness stays, the batch completes, exit 0', async () => {
    // 100 activities of 40 ms: seconds of work left after the signal, so the readiness and
    // liveness probes below reach the server before it has drained and exited, however slow the poll.
    const slow = await submitBatch(server.url, { org_id: 'org-slow', activities: knownActivities(100, 's') });
    const slowId = slow.json.batch_id;
    await waitFor(
      async () => ((await getJson(`${server.url}/api/v1/batches/${slowId}`)).json.counts.processed > 0 ? true : undefined),
      'the slow batch to start',
    );
    server.kill('SIGTERM');
    const ready = await waitFor(
      async () => {
        const response = await fetch(`${server.url}/health/ready`);
        return response.status === 503 ? response.status : undefined;
      },
      'readiness to fail',
      5_000,
    );
    expect(ready).toBe(503);
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    expect(await server.exited).toBe(0);
    const completed = server.logLines().find((line) => line.msg === 'batch completed' && line.batch_id === slowId);
    expect(completed).toMatchObject({ state: 'completed', success: 100 });
    expect(completed?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("sends each batch's span tree, with the seed's parent links and events, to the OTLP receiver", async () => {
    // Shutdown flushed the spans. Batch b: 9 activities.
    const batchId = batchIds[1]!;
    const spans = await receiver.waitForSpans(
      (all) => all.filter((s) => s.attributes['batch.id'] === batchId && s.name === 'activity.processing').length === 9,
      10_000,
    );
    const mine = spans.filter((s) => s.attributes['batch.id'] === batchId);
    const one = (name: string): ReceivedSpan => {
      const found = mine.filter((s) => s.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const submission = one('batch.submission');
    const processing = one('batch.processing');
    const lock = one('lock.acquisition');
    const activities = mine.filter((s) => s.name === 'activity.processing');

    // The submission is a child of the API's server span for the POST (request telemetry), which is the root.
    const request = spans.find((s) => s.spanId === submission.parentSpanId);
    expect(request).toMatchObject({ kind: 'server', name: 'POST /api/v1/batches', traceId: submission.traceId });
    expect(request?.parentSpanId).toBeUndefined();
    expect(processing.parentSpanId).toBe(submission.spanId);
    expect(lock.parentSpanId).toBe(processing.spanId);
    for (const activity of activities) expect(activity.parentSpanId).toBe(processing.spanId);
    for (const span of mine) expect(span.traceId).toBe(submission.traceId);

    const events = (span: ReceivedSpan): string[] => span.events.map((e) => e.name);
    expect(events(submission)).toEqual(['batch.created', 'activities.added', 'state.transition', 'batch.queued']);
    expect(events(lock)).toEqual(['lock.wait', 'lock.acquired', 'lock.released']);
    // Every transition on the processing span, the completed one before the span ended.
    const transitions = processing.events
      .filter((e) => e.name === 'state.transition')
      .map((e) => `${String(e.attributes['batch.state.from'])}->${String(e.attributes['batch.state.to'])}`);
    expect(transitions).toEqual(['queued->processing', 'processing->completed']);
    expect(events(processing).at(-1)).toBe('batch.completed');
    for (const activity of activities) {
      // A retried activity has `retry` events and earlier attempts before the last one.
      expect(events(activity).slice(-3)).toEqual(['data.retrieved', 'calculations.performed', 'results.stored']);
      expect(activity.attributes['activity.id']).toMatch(/^b\d+$/);
    }
    expect(processing.attributes).toMatchObject({ 'org.id': 'org-1', 'worker.id': expect.stringMatching(/^worker-/) });
    expect(processing.resource['service.name']).toBe('batch-server-test');

    const failedActivity = spans.find((s) => s.name === 'activity.processing' && s.attributes['activity.id'] === 'c-bad');
    expect(failedActivity?.status.code).toBe('error');
    expect(failedActivity?.attributes['error.type']).toBe('validation');
  });
});
