// Exemplars from the recording call to Prometheus: a real Prometheus (Debian's 2.42, exemplar
// storage on) scrapes the example; /api/v1/query_exemplars returns the trace id of the batch the test
// submitted, and the OTLP receiver holds that trace's batch.processing span.
import { startOtlpReceiver, type OtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { startPrometheus, type PrometheusServer } from '@ogf/testkit/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitBatch, waitFor, waitForBatch } from './helpers/api.ts';
import { knownActivities } from './helpers/expected.ts';
import { startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

describe('exemplars in the example, through a real Prometheus', () => {
  const data = tempDataDir();
  let receiver: OtlpReceiver;
  let server: ServerProcess;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    server = await startServerProcess({
      DATA_DIR: data.dir,
      WORKERS: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'batch-server-exemplars',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${server.port}`], flags: ['--enable-feature=exemplar-storage'] });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await server?.stop();
    await receiver?.close();
    data.remove();
  });

  it('query_exemplars returns the trace id of the submitted batch, and that trace is at the OTLP receiver', async () => {
    const start = Date.now() / 1000 - 60;
    const submitted = await submitBatch(server.url, { org_id: 'org-exemplar', activities: knownActivities(3, 'x') });
    expect(submitted.status).toBe(202);
    const batchId = submitted.json.batch_id;
    expect((await waitForBatch(server.url, batchId)).status).toBe('completed');

    const spans = await receiver.waitForSpans(
      (all) => all.some((s) => s.name === 'batch.processing' && s.attributes['batch.id'] === batchId),
      15_000,
    );
    const processing = spans.find((s) => s.name === 'batch.processing' && s.attributes['batch.id'] === batchId)!;
    expect(processing.traceId).toMatch(/^[0-9a-f]{32}$/);

    await prometheus.waitForTargetsUp();
    const found = await waitFor(
      async () => {
        const result = await prometheus.queryExemplars('batch_processing_duration_seconds_bucket', start, Date.now() / 1000 + 60);
        const exemplars = result.flatMap((series) => series.exemplars.map((e) => ({ ...e, series: series.seriesLabels })));
        return exemplars.find((e) => e.labels.trace_id === processing.traceId);
      },
      'an exemplar with the batch trace id in Prometheus',
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- prometheus log ---\n${prometheus.logs()}`);
    });
    expect(found.series).toMatchObject({ __name__: 'batch_processing_duration_seconds_bucket', outcome: 'completed' });
    expect(found.labels.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(spans.some((s) => s.traceId === found.labels.trace_id && s.spanId === found.labels.span_id)).toBe(true);
    expect(found.value).toBeGreaterThan(0);
    expect(Number(found.series.le)).toBeGreaterThanOrEqual(found.value);
  });
});
