// Collected metrics → plain JSON (contract A). Generic: every OTel metric, no batch knowledge.
// Exponential histograms and delta data are left out, as in the text formats.
import type { Attributes, HrTime } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { RenderCache } from './labels.js';
import { createRenderCache } from './labels.js';
import { familyName, metricKind } from './plan.js';
import type { MetricsSnapshot, SnapshotAttributes, SnapshotMetric, SnapshotNumber, SnapshotPoint } from '@ogf/core';

/** A number as JSON can carry it. */
export function snapshotNumber(value: number): SnapshotNumber {
  if (Number.isFinite(value)) return value;
  if (value !== value) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

function iso(time: HrTime): string {
  const ms = time[0] * 1000 + Math.floor(time[1] / 1e6);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : new Date(0).toISOString();
}

function attributes(input: Attributes): SnapshotAttributes {
  const out: SnapshotAttributes = {};
  for (const key in input) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : snapshotNumber(value);
    else if (Array.isArray(value)) {
      out[key] = value.map((item) =>
        typeof item === 'number' && !Number.isFinite(item) ? snapshotNumber(item) : ((item as string | number | boolean | null) ?? null),
      );
    } else out[key] = value;
  }
  return out;
}

function histogramOf(value: Histogram): NonNullable<SnapshotPoint['histogram']> {
  const { boundaries, counts } = value.buckets;
  const buckets: { le: SnapshotNumber; count: number }[] = [];
  let cumulative = 0;
  for (let i = 0; i < boundaries.length; i++) {
    cumulative += counts[i] ?? 0;
    buckets.push({ le: snapshotNumber(boundaries[i] as number), count: cumulative });
  }
  buckets.push({ le: '+Inf', count: value.count });
  const out: NonNullable<SnapshotPoint['histogram']> = { count: value.count, sum: snapshotNumber(value.sum ?? Number.NaN), buckets };
  if (value.count > 0 && value.min !== undefined) out.min = snapshotNumber(value.min);
  if (value.count > 0 && value.max !== undefined) out.max = snapshotNumber(value.max);
  return out;
}

function pointOf(metric: MetricData, point: DataPoint<number | Histogram>): SnapshotPoint {
  const out: SnapshotPoint = { attributes: attributes(point.attributes), startTime: iso(point.startTime), time: iso(point.endTime) };
  if (metric.dataPointType === DataPointType.HISTOGRAM) out.histogram = histogramOf(point.value as Histogram);
  else out.value = snapshotNumber(point.value as number);
  return out;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Turns collected metrics into the JSON snapshot (contract A): resource attributes, then every
 * metric in scope-name, metric-name order, non-finite numbers spelled `'NaN'`, `'+Inf'`, `'-Inf'`.
 *
 * @example
 * const { resourceMetrics } = await reader.collect();
 * const json = JSON.stringify(toMetricsSnapshot(resourceMetrics));
 */
export function toMetricsSnapshot(
  resourceMetrics: ResourceMetrics,
  options: { timestamp?: Date; cache?: RenderCache } = {},
): MetricsSnapshot {
  const cache = options.cache ?? createRenderCache();
  const metrics: SnapshotMetric[] = [];
  for (const { scope, metrics: scoped } of resourceMetrics.scopeMetrics) {
    for (const metric of scoped) {
      const kind = metricKind(metric);
      if (kind === undefined) continue;
      const { name, description, unit } = metric.descriptor;
      metrics.push({
        name,
        prometheusName: familyName(metric, kind, cache),
        description,
        unit,
        type: kind,
        scope: scope.version ? { name: scope.name, version: scope.version } : { name: scope.name },
        points: (metric.dataPoints as DataPoint<number | Histogram>[]).map((point) => pointOf(metric, point)),
      });
    }
  }
  metrics.sort(
    (a, b) => compare(a.scope.name, b.scope.name) || compare(a.scope.version ?? '', b.scope.version ?? '') || compare(a.name, b.name),
  );
  return {
    timestamp: (options.timestamp ?? new Date()).toISOString(),
    resource: attributes(resourceMetrics.resource.attributes),
    metrics,
  };
}
