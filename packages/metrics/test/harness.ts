// Test plumbing: a real MeterProvider with a pull reader, and a ResourceMetrics → MetricsSnapshot
// conversion (contract A) so the summary can be tested on real SDK output.
import type { HistogramMetricData, MeterProviderOptions, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DataPointType, InstrumentType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createBatchMetrics } from '@ogf/metrics';
import type { MetricsSnapshot, SnapshotMetric, SnapshotNumber } from '@ogf/core';
import type { BatchMetrics, BatchMetricsOptions } from '@ogf/metrics';

export class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface Rig {
  provider: MeterProvider;
  reader: PullReader;
  metrics: BatchMetrics;
  collect(): Promise<ResourceMetrics>;
}

export function createRig(options: BatchMetricsOptions = {}, providerOptions: MeterProviderOptions = {}): Rig {
  const reader = new PullReader();
  const provider = new MeterProvider({ ...providerOptions, readers: [reader] });
  const metrics = createBatchMetrics({ meterProvider: provider, ...options });
  return {
    provider,
    reader,
    metrics,
    async collect() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw new AggregateError(errors, 'collect reported errors');
      return resourceMetrics;
    },
  };
}

export function allMetrics(rm: ResourceMetrics): MetricData[] {
  return rm.scopeMetrics.flatMap((scope) => scope.metrics);
}

export function metric(rm: ResourceMetrics, name: string): MetricData {
  const found = allMetrics(rm).find((m) => m.descriptor.name === name);
  if (!found)
    throw new Error(
      `metric ${name} not collected; have ${allMetrics(rm)
        .map((m) => m.descriptor.name)
        .join(', ')}`,
    );
  return found;
}

/** The points of a metric; [] when the SDK left it out because it had none. */
export function pointsOf(rm: ResourceMetrics, name: string): MetricData['dataPoints'] {
  return allMetrics(rm).find((m) => m.descriptor.name === name)?.dataPoints ?? [];
}

/** Value of a sum or gauge metric's point with exactly these attributes (undefined if absent). */
export function valueOf(rm: ResourceMetrics, name: string, attributes: Record<string, unknown> = {}): number | undefined {
  const data = metric(rm, name);
  const point = data.dataPoints.find((p) => sameAttributes(p.attributes, attributes));
  return point === undefined ? undefined : (point.value as number);
}

/** Histogram point with exactly these attributes. */
export function histogramOf(rm: ResourceMetrics, name: string, attributes: Record<string, unknown> = {}) {
  const data = metric(rm, name) as HistogramMetricData;
  if (data.dataPointType !== DataPointType.HISTOGRAM) throw new Error(`${name} is not a histogram`);
  return data.dataPoints.find((p) => sameAttributes(p.attributes, attributes))?.value;
}

function sameAttributes(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

const num = (v: number): SnapshotNumber => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : v);
const iso = (t: [number, number]): string => new Date(t[0] * 1000 + t[1] / 1e6).toISOString();

/** ResourceMetrics as a contract-A MetricsSnapshot (cumulative buckets), for summary tests. */
export function toSnapshot(rm: ResourceMetrics, timestamp = new Date().toISOString()): MetricsSnapshot {
  const metrics: SnapshotMetric[] = rm.scopeMetrics.flatMap((scope) =>
    scope.metrics.map((m): SnapshotMetric => {
      const type =
        m.dataPointType === DataPointType.HISTOGRAM
          ? 'histogram'
          : m.dataPointType === DataPointType.GAUGE
            ? 'gauge'
            : 'isMonotonic' in m && m.isMonotonic
              ? 'counter'
              : 'updowncounter';
      return {
        name: m.descriptor.name,
        prometheusName: m.descriptor.name.replace(/\./g, '_'),
        description: m.descriptor.description,
        unit: m.descriptor.unit,
        type,
        scope: { name: scope.scope.name },
        points: m.dataPoints.map((p) => {
          const base = { attributes: p.attributes as never, startTime: iso(p.startTime), time: iso(p.endTime) };
          if (type !== 'histogram') return { ...base, value: num(p.value as number) };
          const h = p.value as {
            count: number;
            sum: number;
            min?: number;
            max?: number;
            buckets: { boundaries: number[]; counts: number[] };
          };
          let running = 0;
          const buckets = h.buckets.counts.map((c, i) => {
            running += c;
            return { le: num(h.buckets.boundaries[i] ?? Infinity), count: running };
          });
          return { ...base, histogram: { count: h.count, sum: num(h.sum), min: num(h.min ?? NaN), max: num(h.max ?? NaN), buckets } };
        }),
      };
    }),
  );
  return { timestamp, resource: {}, metrics };
}

export { InstrumentType };
