// A known sequence of batch operations, through the real PrometheusExporter of @ogf/prom-export,
// yields exactly the expected values in Prometheus text, OpenMetrics and the JSON summary.
import { describe, expect, it } from 'vitest';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@ogf/prom-export';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { METRIC_CATALOG, createBatchMetrics, toBatchSummary } from '@ogf/metrics';
import { EXPECTED_SUMMARY, SEQUENCE_NOW, runKnownSequence } from './sequence.js';

// Sample → value. Scope labels are left out of the keys; float sums are checked to 1e-9.
const EXPECTED: Record<string, number> = {
  batch_submitted_total: 42,
  batch_processing: 2,
  batch_completed_total: 38,
  'batch_failed_total{error_type="database"}': 1,
  'batch_failed_total{error_type="timeout"}': 1,
  batch_cancelled_total: 0,
  activity_total: 450,
  activity_success_total: 440,
  activity_failed_total: 10,
  emissions_grams_total: 15000500,
  workers_active: 3,
  workers_capacity: 4,
  queue_size: 5,
  'batch_errors_total{error_type="timeout"}': 5,
  'batch_errors_total{error_type="database"}': 3,
  'batch_errors_total{error_type="network"}': 2,
  batch_retries_total: 1,
  batch_retries_success_total: 1,
  'batch_state_transitions_total{from="processing",to="completed"}': 1,
  'lock_acquisitions_total{lock="org"}': 1,
  'lock_wait_duration_seconds_count{acquired="true",lock="org"}': 1,
  batch_last_success_timestamp_seconds: SEQUENCE_NOW / 1000,
  'batch_processing_duration_seconds_bucket{le="0.25",outcome="completed"}': 0,
  'batch_processing_duration_seconds_bucket{le="0.5",outcome="completed"}': 20,
  'batch_processing_duration_seconds_bucket{le="2.5",outcome="completed"}': 20,
  'batch_processing_duration_seconds_bucket{le="5",outcome="completed"}': 38,
  'batch_processing_duration_seconds_bucket{le="+Inf",outcome="completed"}': 38,
  'batch_processing_duration_seconds_count{outcome="completed"}': 38,
  'batch_processing_duration_seconds_sum{outcome="completed"}': 60,
  'batch_processing_duration_seconds_count{outcome="failed"}': 2,
  'batch_processing_duration_seconds_sum{outcome="failed"}': 6,
  'batch_latency_seconds_bucket{le="30",outcome="completed"}': 0,
  'batch_latency_seconds_bucket{le="60",outcome="completed"}': 38,
  'batch_latency_seconds_sum{outcome="completed"}': 2280,
  'batch_size_bucket{le="10"}': 40,
  'batch_size_bucket{le="25"}': 42,
  batch_size_count: 42,
  batch_size_sum: 450,
  'activity_duration_seconds_bucket{le="0.025",success="true"}': 300,
  'activity_duration_seconds_bucket{le="0.25",success="true"}': 440,
  'activity_duration_seconds_count{success="false"}': 10,
  'activity_duration_seconds_sum{success="false"}': 2,
  'emissions_avg_batch_grams_bucket{le="100000"}': 0,
  'emissions_avg_batch_grams_bucket{le="500000"}': 38,
  emissions_avg_batch_grams_sum: 15000500,
  'batch_submit_duration_seconds_count{success="true"}': 42,
  'batch_submit_duration_seconds_sum{success="true"}': 0.84,
};

function key(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .filter(([k]) => !k.startsWith('otel_scope_'))
    .map(([k, v]) => [k, k === 'le' && v !== '+Inf' ? String(Number(v)) : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return pairs.length === 0 ? name : `${name}{${pairs.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

function parseText(body: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unexpected line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.set(key(match[1]!, labels), Number(match[3]));
  }
  return samples;
}

function expectSamples(samples: Map<string, number>): void {
  for (const [sample, value] of Object.entries(EXPECTED)) {
    expect(samples.has(sample), `${sample} present`).toBe(true);
    expect(samples.get(sample), sample).toBeCloseTo(value, 9);
  }
}

function exporterWithSequence(): PrometheusExporter {
  const exporter = new PrometheusExporter();
  const provider = new MeterProvider({ readers: [exporter] });
  runKnownSequence(createBatchMetrics({ meterProvider: provider, now: () => SEQUENCE_NOW }));
  return exporter;
}

describe('a known sequence of batch operations', () => {
  it('yields exactly the expected values in Prometheus text 0.0.4, promtool-clean', async () => {
    const exporter = exporterWithSequence();
    const { body, contentType } = await exporter.render({ format: 'text' });
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    assertPromtoolClean(body);
    expectSamples(parseText(body));
  });

  it('yields exactly the expected values in OpenMetrics 1.0.0, by the strict parser', async () => {
    const exporter = exporterWithSequence();
    const { body } = await exporter.render({ format: 'openmetrics' });
    const samples = new Map<string, number>();
    for (const family of parseOpenMetrics(body)) {
      for (const s of family.samples) samples.set(key(s.name, s.labels), Number(s.value));
    }
    expectSamples(samples);
  });

  it("yields the seed's metrics JSON from the exporter's snapshot", async () => {
    const exporter = exporterWithSequence();
    const snapshot = await exporter.snapshot();
    expect(toBatchSummary(snapshot)).toEqual({ ...EXPECTED_SUMMARY, timestamp: snapshot.timestamp });
  });

  it("exposes every catalog metric under the catalog's Prometheus name and type", async () => {
    const exporter = new PrometheusExporter();
    const provider = new MeterProvider({ readers: [exporter] });
    const m = createBatchMetrics({ meterProvider: provider, onError: () => {} });
    runKnownSequence(m);
    m.recordBatchCancellation();
    m.recordLockAcquisition({ lock: 'org', waitMs: 5000, acquired: false });
    m.recordWorkerBusy({ idleMs: 100 });
    m.recordWorkerIdle({ taskMs: 100 });
    m.recordDequeue({ waitMs: 100 });
    m.recordBatchStarted();
    m.recordBatchCompletion({ durationMs: 1, emissionsKg: 1, submittedAt: Date.now() - 1000 });
    m.recordActivityProcessing({ success: true, durationMs: NaN });
    const { body } = await exporter.render({ format: 'text' });
    assertPromtoolClean(body);
    const families = new Map([...body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
    const promType = { counter: 'counter', updowncounter: 'gauge', gauge: 'gauge', histogram: 'histogram' } as const;
    for (const definition of METRIC_CATALOG) {
      expect(families.get(definition.prometheusName), definition.prometheusName).toBe(promType[definition.kind]);
    }
  });
});
