// Type-checked in CI against the packed package, the way a user imports it.
import { metrics } from '@opentelemetry/api';
import {
  BATCH_STATES,
  METRIC_CATALOG,
  classifyError,
  createBatchMetrics,
  createBatchSummarizer,
  isOgfError,
  toBatchSummary,
} from '@ogf/metrics';
import type { BatchMetrics, BatchSummary, MetricDefinition, MetricsSnapshot, OgfError } from '@ogf/metrics';

const problems: OgfError[] = [];
const batchMetrics: BatchMetrics = createBatchMetrics({
  meterProvider: metrics.getMeterProvider(),
  workerCapacity: 8,
  lockNames: ['org'],
  errorClassifiers: [{ type: 'factor_missing', matches: (e) => e instanceof RangeError }],
  onError: (error) => {
    if (isOgfError(error)) problems.push(error);
  },
});

batchMetrics.recordBatchSubmission({ activityCount: 120 });
batchMetrics.recordBatchStarted();
batchMetrics.recordActivityProcessing({ success: true, durationMs: 12 });
batchMetrics.recordBatchCompletion({ durationMs: 5400, emissionsKg: 812.5, submittedAt: new Date() });
const type: string = batchMetrics.recordError({ error: new RangeError('no factor') });
batchMetrics.recordStateTransition({ from: BATCH_STATES[2], to: 'completed' });
batchMetrics.recordLockAcquisition({ lock: 'org', waitMs: 3, acquired: true });
const byType: Record<string, number> = batchMetrics.errorsByType();

const rows: readonly MetricDefinition[] = METRIC_CATALOG;
const names: string[] = rows.map((d) => `${d.prometheusName} (${d.unit || 'count'})`);

const snapshot: MetricsSnapshot = { timestamp: new Date().toISOString(), resource: {}, metrics: [] };
const summary: BatchSummary = toBatchSummary(snapshot);
const rated: BatchSummary = createBatchSummarizer({ windowMs: 60_000 }).summarize(snapshot);
const p95: number | null = summary.batch_latency_seconds.p95;

export { byType, classifyError, names, p95, problems, rated, type };
