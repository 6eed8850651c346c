// The metrics snapshot: every collected metric as plain JSON. @ogf/prom-export produces it
// (`exporter.snapshot()`), @ogf/metrics reads it (`toBatchSummary`).

/** What an instrument records: a monotonic sum, a non-monotonic sum, a gauge or a histogram. */
export type MetricKind = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

/** A number in JSON; non-finite values are spelled out because JSON has no NaN or Infinity. */
export type SnapshotNumber = number | 'NaN' | '+Inf' | '-Inf';

/** Attributes as plain JSON. */
export type SnapshotAttributes = Record<string, string | number | boolean | (string | number | boolean | null)[]>;

/** One collection of every metric, as plain JSON. */
export interface MetricsSnapshot {
  /** ISO 8601 time of the collection. */
  timestamp: string;
  resource: SnapshotAttributes;
  /** Stable order: scope name (then version), then metric name. */
  metrics: SnapshotMetric[];
}

/** One metric of a {@link MetricsSnapshot}. */
export interface SnapshotMetric {
  /** OTel instrument name, e.g. `batch.submitted`. */
  name: string;
  /** Family name as in text 0.0.4, e.g. `batch_submitted_total` ('' when the name has no valid characters). */
  prometheusName: string;
  description: string;
  /** OTel unit, e.g. `s`, `g`, `1`, `{batch}`, ''. */
  unit: string;
  type: MetricKind;
  scope: { name: string; version?: string };
  points: SnapshotPoint[];
}

/** One attribute set of a {@link SnapshotMetric}. */
export interface SnapshotPoint {
  attributes: SnapshotAttributes;
  /** ISO 8601. */
  startTime?: string;
  /** ISO 8601. */
  time: string;
  /** Counter, up-down counter and gauge points. */
  value?: SnapshotNumber;
  /** Histogram points; bucket counts are cumulative and the last bucket has `le: '+Inf'`. */
  histogram?: {
    count: number;
    sum: SnapshotNumber;
    min?: SnapshotNumber;
    max?: SnapshotNumber;
    buckets: { le: SnapshotNumber; count: number }[];
  };
}
