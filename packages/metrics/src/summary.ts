import type { BatchSummary, LatencyPercentiles, MetricsSnapshot, SnapshotMetric } from '@ogf/core';
import type { MetricName } from './catalog.js';
import type { MergedHistogram } from './quantile.js';
import { histogramQuantile, mergeHistograms } from './quantile.js';
import { snapshotNumber } from './snapshot.js';
import { DEFAULT_SCOPE_NAME } from './settings.js';

/** Options of `toBatchSummary` and `createBatchSummarizer`. */
export interface SummaryOptions {
  /** Only metrics of this meter (scope) count; match the `scopeName` of createBatchMetrics. Default `'@ogf/metrics'`. */
  scopeName?: string;
}

/** Rounds to a fixed number of decimals; anything non-finite becomes 0 (JSON never carries NaN). */
export function round(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return 0;
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function finiteSum(metric: SnapshotMetric | undefined): number {
  if (metric === undefined) return 0;
  let sum = 0;
  for (const point of metric.points) {
    const value = snapshotNumber(point.value);
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/** Sum ÷ count over a histogram's points; 0 when it observed nothing. */
function mean(metric: SnapshotMetric | undefined): number {
  let sum = 0;
  let count = 0;
  for (const point of metric?.points ?? []) {
    const pointSum = snapshotNumber(point.histogram?.sum ?? 0);
    if (!Number.isFinite(pointSum)) continue;
    sum += pointSum;
    count += point.histogram?.count ?? 0;
  }
  return count > 0 ? sum / count : 0;
}

function percentiles(histogram: MergedHistogram | undefined): LatencyPercentiles {
  const at = (q: number): number | null => {
    if (histogram === undefined) return null;
    const value = histogramQuantile(q, histogram);
    return value === null ? null : round(value, 6);
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** The snapshot's metrics of one meter, by OTel name. */
export function metricsOf(snapshot: MetricsSnapshot, scopeName: string): Map<string, SnapshotMetric> {
  const byName = new Map<string, SnapshotMetric>();
  for (const metric of snapshot.metrics ?? []) {
    if (metric.scope?.name === scopeName && !byName.has(metric.name)) byName.set(metric.name, metric);
  }
  return byName;
}

/** The counter totals the summarizer keeps history of, to compute rates. */
export function throughputTotals(byName: Map<string, SnapshotMetric>): { batches: number; activities: number } {
  const total = (name: MetricName): number => finiteSum(byName.get(name));
  return {
    batches: total('batch.completed') + total('batch.failed') + total('batch.cancelled'),
    activities: total('activity'),
  };
}

/**
 * OffGridFlow's metrics JSON from a MetricsSnapshot (e.g. `await exporter.snapshot()` of
 * @ogf/prom-export). Pure: without history both per-second rates are 0; use
 * `createBatchSummarizer()` for them. Percentiles are estimated from the histogram buckets.
 *
 * @example
 * ```ts
 * const summary = toBatchSummary(await exporter.snapshot());
 * summary.success_rate; // 97.8 for 440 of 450 activities
 * ```
 */
export function toBatchSummary(snapshot: MetricsSnapshot, options: SummaryOptions = {}): BatchSummary {
  const byName = metricsOf(snapshot, options.scopeName ?? DEFAULT_SCOPE_NAME);
  const total = (name: MetricName): number => round(finiteSum(byName.get(name)), 6);
  const success = total('activity.success');
  const failed = total('activity.failed');
  const finished = success + failed;
  const active = total('workers.active');
  const capacity = total('workers.capacity');
  // A Map, then fromEntries: an error type named `constructor` or `__proto__` stays a plain key.
  const errorCounts = new Map<string, number>();
  for (const point of byName.get('batch.errors')?.points ?? []) {
    const type = String(point.attributes.error_type ?? 'other');
    const value = snapshotNumber(point.value);
    if (Number.isFinite(value) && value > 0) errorCounts.set(type, (errorCounts.get(type) ?? 0) + value);
  }
  const errorsByType: Record<string, number> = Object.fromEntries(errorCounts);
  return {
    timestamp: snapshot.timestamp,
    batches_submitted: total('batch.submitted'),
    batches_processing: total('batch.processing'),
    batches_completed: total('batch.completed'),
    batches_failed: total('batch.failed'),
    batches_cancelled: total('batch.cancelled'),
    activities_total: total('activity'),
    activities_success: success,
    activities_failed: failed,
    workers_active: active,
    workers_capacity: capacity,
    worker_utilization_percent: capacity > 0 ? round((active / capacity) * 100, 1) : 0,
    queue_size: total('queue.size'),
    success_rate: finished > 0 ? round((success / finished) * 100, 1) : 0,
    // The emissions counter is in grams; the JSON keeps kilograms.
    total_emissions: round(finiteSum(byName.get('emissions')) / 1000, 3),
    errors_by_type: errorsByType,
    lock_acquisitions: total('lock.acquisitions'),
    lock_timeouts: total('lock.timeouts'),
    retry_attempts: total('batch.retries'),
    retry_successes: total('batch.retries.success'),
    state_transitions: total('batch.state.transitions'),
    average_processing_time_seconds: round(mean(byName.get('batch.processing.duration')), 6),
    // Recorded in grams per batch; the JSON speaks kilograms.
    average_emissions_per_batch: round(mean(byName.get('emissions.avg.batch')) / 1000, 3),
    batches_per_second: 0,
    activities_per_second: 0,
    batch_latency_seconds: percentiles(mergeHistograms(byName.get('batch.processing.duration')?.points ?? [])),
    activity_latency_seconds: percentiles(mergeHistograms(byName.get('activity.duration')?.points ?? [])),
  };
}
