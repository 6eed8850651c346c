import type { OgfError } from './errors.js';

// Public shapes. The snapshot types are contract A of the workspace: @ogf/metrics declares the same
// shapes on its side and reads them structurally.

/** A number in JSON; non-finite values are spelled out because JSON has no NaN or Infinity. */
export type SnapshotNumber = number | 'NaN' | '+Inf' | '-Inf';

/** Attributes as plain JSON. */
export type SnapshotAttributes = Record<string, string | number | boolean | (string | number | boolean | null)[]>;

/** Every collected OTel metric as plain JSON. */
export interface MetricsSnapshot {
  /** ISO 8601 time of the collection. */
  timestamp: string;
  resource: SnapshotAttributes;
  /** Stable order: scope name (then version), then metric name. */
  metrics: SnapshotMetric[];
}

export interface SnapshotMetric {
  /** OTel instrument name, e.g. `batch.submitted`. */
  name: string;
  /** Family name as in text 0.0.4, e.g. `batch_submitted_total` ('' when the name has no valid characters). */
  prometheusName: string;
  description: string;
  /** OTel unit, e.g. `s`, `kg`, `1`, `{batch}`, ''. */
  unit: string;
  /** Monotonic sum | non-monotonic sum | gauge | explicit-bucket histogram. */
  type: 'counter' | 'updowncounter' | 'gauge' | 'histogram';
  scope: { name: string; version?: string };
  points: SnapshotPoint[];
}

export interface SnapshotPoint {
  attributes: SnapshotAttributes;
  /** ISO. */
  startTime?: string;
  /** ISO. */
  time: string;
  /** Counter, updowncounter and gauge points. */
  value?: SnapshotNumber;
  histogram?: {
    count: number;
    sum: SnapshotNumber;
    min?: SnapshotNumber;
    max?: SnapshotNumber;
    /** Cumulative counts; the last has `le: '+Inf'`. */
    buckets: { le: SnapshotNumber; count: number }[];
  };
}

/** The two exposition formats. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** One metric family as prom-client's `Registry#getMetricsAsJSON()` returns it (structurally). */
export interface PromClientMetric {
  name: string;
  help: string;
  /** `counter`, `gauge`, `histogram` or `summary` (prom-client's typings call it an enum). */
  type: unknown;
  values: {
    value: number;
    labels: Partial<Record<string, string | number>>;
    metricName?: string;
  }[];
}

/** The part of a prom-client `Registry` the exporter uses; a real `Registry` fits. */
export interface PromClientRegistryLike {
  getMetricsAsJSON(): Promise<PromClientMetric[]> | PromClientMetric[];
}

/** Options shared by the pure render functions and the exporter. */
export interface RenderOptions {
  /** Leave out the `otel_scope_name` / `otel_scope_version` labels. Default false. */
  withoutScopeLabels?: boolean;
  /** Leave out `target_info` (the resource attributes). Default false. */
  withoutTargetInfo?: boolean;
  /** Emit `_created` samples for counters and histograms in OpenMetrics. Default true. */
  openMetricsCreated?: boolean;
  /**
   * Told about data the exposition had to leave out (type conflicts, clashing names, exponential
   * histograms, invalid values). Default: OTel's `diag.warn`. Never throws into the render.
   */
  onError?: (error: OgfError) => void;
}
