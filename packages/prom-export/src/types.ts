import type { OgfError } from './errors.js';
import type { ExemplarSource } from './exemplars.js';

// Public shapes. The snapshot types and the exposition formats are @ogf/core's contracts.

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
  /**
   * Where exemplars come from (e.g. @ogf/metrics' `createExemplarReservoir()`). Written in OpenMetrics
   * only: on histogram buckets (newest per bucket) and counters' `_total`; never in text 0.0.4. Default none.
   */
  exemplars?: ExemplarSource;
}
