import type { MetricKind } from '@ogf/core';
import { OgfError } from './errors.js';

/** One row of the catalog: everything needed to create the instrument, document it, or chart it. */
export interface MetricDefinition {
  /** OTel instrument name, e.g. `batch.submitted`. */
  readonly name: string;
  readonly kind: MetricKind;
  /** OTel unit (UCUM): `s`, `g`, or `''` for plain counts. */
  readonly unit: string;
  /** One sentence; becomes Prometheus HELP. */
  readonly description: string;
  /** The family name in Prometheus text 0.0.4, e.g. `batch_submitted_total`. */
  readonly prometheusName: string;
  /** Attribute keys the metric carries; every value comes from a small closed set. */
  readonly attributes: readonly string[];
  /** Explicit histogram bucket boundaries (upper bounds, in `unit`), or null for non-histograms. */
  readonly buckets: readonly number[] | null;
  /** The name in OffGridFlow (Go), or null for what it lacked. */
  readonly offGridFlowName: string | null;
}

// Bucket sets fitted to what each histogram measures.
const BATCH_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const;
const LATENCY_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600] as const;
const SUBMIT_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
const ACTIVITY_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
const LOCK_SECONDS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
const IDLE_SECONDS = [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 1800, 3600] as const;
const BATCH_GRAMS = [100, 1e3, 1e4, 5e4, 1e5, 5e5, 1e6, 5e6, 1e7, 5e7, 1e8, 5e8, 1e9] as const;
const BATCH_ACTIVITIES = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 50000, 100000] as const;

/**
 * The one metric catalog: it drives instrument creation, the README table and dashboards.
 * The 25 metrics of OffGridFlow (OTel names without its `.total` suffix, durations in seconds),
 * then what batch operators need and OffGridFlow lacked.
 */
export const METRIC_CATALOG = [
  {
    name: 'batch.submitted',
    kind: 'counter',
    unit: '',
    description: 'Batches submitted.',
    prometheusName: 'batch_submitted_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'batch.submitted.total',
  },
  {
    name: 'batch.submit.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time taken to submit a batch, by outcome.',
    prometheusName: 'batch_submit_duration_seconds',
    attributes: ['success'],
    buckets: SUBMIT_SECONDS as readonly number[],
    offGridFlowName: 'batch.submit.duration',
  },
  {
    name: 'batch.processing',
    kind: 'updowncounter',
    unit: '',
    description: 'Batches being processed now.',
    prometheusName: 'batch_processing',
    attributes: [],
    buckets: null,
    offGridFlowName: 'batch.processing',
  },
  {
    name: 'batch.completed',
    kind: 'counter',
    unit: '',
    description: 'Batches completed successfully.',
    prometheusName: 'batch_completed_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'batch.completed.total',
  },
  {
    name: 'batch.failed',
    kind: 'counter',
    unit: '',
    description: 'Batches that failed, by error type.',
    prometheusName: 'batch_failed_total',
    attributes: ['error_type'],
    buckets: null,
    offGridFlowName: 'batch.failed.total',
  },
  {
    name: 'batch.cancelled',
    kind: 'counter',
    unit: '',
    description: 'Batches cancelled.',
    prometheusName: 'batch_cancelled_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'batch.cancelled.total',
  },
  {
    name: 'batch.processing.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time from the start of processing to the end of a batch, by outcome.',
    prometheusName: 'batch_processing_duration_seconds',
    attributes: ['outcome'],
    buckets: BATCH_SECONDS as readonly number[],
    offGridFlowName: 'batch.processing.duration',
  },
  {
    name: 'activity',
    kind: 'counter',
    unit: '',
    description: 'Activities processed, successfully or not.',
    prometheusName: 'activity_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'activity.total',
  },
  {
    name: 'activity.success',
    kind: 'counter',
    unit: '',
    description: 'Activities processed successfully.',
    prometheusName: 'activity_success_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'activity.success.total',
  },
  {
    name: 'activity.failed',
    kind: 'counter',
    unit: '',
    description: 'Activities that failed.',
    prometheusName: 'activity_failed_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'activity.failed.total',
  },
  {
    name: 'activity.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time taken to process one activity, by outcome.',
    prometheusName: 'activity_duration_seconds',
    attributes: ['success'],
    buckets: ACTIVITY_SECONDS as readonly number[],
    offGridFlowName: 'activity.duration',
  },
  {
    name: 'emissions',
    kind: 'counter',
    unit: 'g',
    description: 'Emissions computed by completed batches, in grams CO2e.',
    prometheusName: 'emissions_grams_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'emissions.total',
  },
  {
    name: 'emissions.avg.batch',
    kind: 'histogram',
    unit: 'g',
    description: 'Emissions per completed batch, in grams CO2e.',
    prometheusName: 'emissions_avg_batch_grams',
    attributes: [],
    buckets: BATCH_GRAMS as readonly number[],
    offGridFlowName: 'emissions.avg.batch',
  },
  {
    name: 'workers.active',
    kind: 'updowncounter',
    unit: '',
    description: 'Workers busy with a batch now.',
    prometheusName: 'workers_active',
    attributes: [],
    buckets: null,
    offGridFlowName: 'workers.active',
  },
  {
    name: 'worker.idle.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time a worker waited idle before its next task.',
    prometheusName: 'worker_idle_duration_seconds',
    attributes: [],
    buckets: IDLE_SECONDS as readonly number[],
    offGridFlowName: 'worker.idle.duration',
  },
  {
    name: 'worker.task.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time a worker spent on one task.',
    prometheusName: 'worker_task_duration_seconds',
    attributes: [],
    buckets: BATCH_SECONDS as readonly number[],
    offGridFlowName: 'worker.task.duration',
  },
  {
    name: 'lock.acquisitions',
    kind: 'counter',
    unit: '',
    description: 'Locks acquired, by lock name.',
    prometheusName: 'lock_acquisitions_total',
    attributes: ['lock'],
    buckets: null,
    offGridFlowName: 'lock.acquisitions.total',
  },
  {
    name: 'lock.wait.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time spent waiting for a lock, by lock name and whether it was acquired.',
    prometheusName: 'lock_wait_duration_seconds',
    attributes: ['lock', 'acquired'],
    buckets: LOCK_SECONDS as readonly number[],
    offGridFlowName: 'lock.wait.duration',
  },
  {
    name: 'lock.timeouts',
    kind: 'counter',
    unit: '',
    description: 'Lock waits that timed out, by lock name.',
    prometheusName: 'lock_timeouts_total',
    attributes: ['lock'],
    buckets: null,
    offGridFlowName: 'lock.timeouts.total',
  },
  {
    name: 'queue.size',
    kind: 'updowncounter',
    unit: '',
    description: 'Batches waiting in the queue now.',
    prometheusName: 'queue_size',
    attributes: [],
    buckets: null,
    offGridFlowName: 'queue.size',
  },
  {
    name: 'queue.wait.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time a batch waited in the queue before a worker took it.',
    prometheusName: 'queue_wait_duration_seconds',
    attributes: [],
    buckets: LATENCY_SECONDS as readonly number[],
    offGridFlowName: 'queue.wait.duration',
  },
  {
    name: 'batch.errors',
    kind: 'counter',
    unit: '',
    description: 'Errors recorded, by normalised error type.',
    prometheusName: 'batch_errors_total',
    attributes: ['error_type'],
    buckets: null,
    offGridFlowName: 'batch.errors.total',
  },
  {
    name: 'batch.retries',
    kind: 'counter',
    unit: '',
    description: 'Retry attempts.',
    prometheusName: 'batch_retries_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'batch.retries.total',
  },
  {
    name: 'batch.retries.success',
    kind: 'counter',
    unit: '',
    description: 'Retry attempts that succeeded.',
    prometheusName: 'batch_retries_success_total',
    attributes: [],
    buckets: null,
    offGridFlowName: 'batch.retries.success.total',
  },
  {
    name: 'batch.state.transitions',
    kind: 'counter',
    unit: '',
    description: 'Batch state transitions, by from and to state.',
    prometheusName: 'batch_state_transitions_total',
    attributes: ['from', 'to'],
    buckets: null,
    offGridFlowName: 'batch.state.transitions.total',
  },
  {
    name: 'batch.last_success.timestamp',
    kind: 'gauge',
    unit: 's',
    description: 'When a batch last completed successfully, in seconds since the Unix epoch.',
    prometheusName: 'batch_last_success_timestamp_seconds',
    attributes: [],
    buckets: null,
    offGridFlowName: null,
  },
  {
    name: 'workers.capacity',
    kind: 'gauge',
    unit: '',
    description: 'Worker slots in the pool; utilisation is workers_active / workers_capacity.',
    prometheusName: 'workers_capacity',
    attributes: [],
    buckets: null,
    offGridFlowName: null,
  },
  {
    name: 'batch.latency',
    kind: 'histogram',
    unit: 's',
    description: 'Time from submission of a batch to its end, by outcome.',
    prometheusName: 'batch_latency_seconds',
    attributes: ['outcome'],
    buckets: LATENCY_SECONDS as readonly number[],
    offGridFlowName: null,
  },
  {
    name: 'batch.size',
    kind: 'histogram',
    unit: '',
    description: 'Activities per submitted batch.',
    prometheusName: 'batch_size',
    attributes: [],
    buckets: BATCH_ACTIVITIES as readonly number[],
    offGridFlowName: null,
  },
  {
    name: 'ogf.metrics.dropped',
    kind: 'counter',
    unit: '',
    description: 'Invalid values (NaN, infinite, negative, not a number, above 2^53) dropped instead of recorded, by reason.',
    prometheusName: 'ogf_metrics_dropped_total',
    attributes: ['reason'],
    buckets: null,
    offGridFlowName: null,
  },
] as const;

/** Every OTel instrument name in the catalog. */
export type MetricName = (typeof METRIC_CATALOG)[number]['name'];

// The const array keeps its literal types for MetricName; this line keeps it honest.
const typed: readonly MetricDefinition[] = METRIC_CATALOG;

/**
 * The catalog entry for an instrument name; throws for a name that is not in the catalog.
 *
 * @example
 * ```ts
 * metricDefinition('batch.latency').prometheusName; // 'batch_latency_seconds'
 * ```
 */
export function metricDefinition(name: MetricName): MetricDefinition {
  const found = typed.find((definition) => definition.name === name);
  if (!found) throw new OgfError('ERR_OGF_INVALID_OPTION', `expected a metric name from METRIC_CATALOG, got ${String(name)}`);
  return found;
}
