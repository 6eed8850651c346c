// The MetricsSnapshot contract (A), declared here because @ogf/metrics imports no other @ogf
// package: @ogf/prom-export's `exporter.snapshot()` produces it, `toBatchSummary` reads it.

/** A number, with non-finite values spelled out so they survive JSON. */
export type SnapshotNumber = number | 'NaN' | '+Inf' | '-Inf';

/** Attributes as plain JSON. */
export type SnapshotAttributes = Record<string, string | number | boolean | (string | number | boolean | null)[]>;

/** One collection of every metric, as plain JSON. */
export interface MetricsSnapshot {
  /** ISO 8601 time of the collection. */
  timestamp: string;
  resource: SnapshotAttributes;
  /** Stable order: scope name, then metric name. */
  metrics: SnapshotMetric[];
}

/** One metric of a snapshot. */
export interface SnapshotMetric {
  /** OTel instrument name, e.g. `batch.submitted`. */
  name: string;
  /** Family name as in text 0.0.4, e.g. `batch_submitted_total`. */
  prometheusName: string;
  description: string;
  unit: string;
  type: 'counter' | 'updowncounter' | 'gauge' | 'histogram';
  scope: { name: string; version?: string };
  points: SnapshotPoint[];
}

/** One attribute set of a metric. */
export interface SnapshotPoint {
  attributes: SnapshotAttributes;
  startTime?: string;
  time: string;
  /** Counter, up-down counter and gauge points. */
  value?: SnapshotNumber;
  /** Histogram points; bucket counts are CUMULATIVE and the last bucket has `le: '+Inf'`. */
  histogram?: {
    count: number;
    sum: SnapshotNumber;
    min?: SnapshotNumber;
    max?: SnapshotNumber;
    buckets: { le: SnapshotNumber; count: number }[];
  };
}

/** A SnapshotNumber as a JS number (NaN and ±Infinity for the spelled-out ones). */
export function snapshotNumber(value: SnapshotNumber | undefined): number {
  if (typeof value === 'number') return value;
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return NaN;
}
