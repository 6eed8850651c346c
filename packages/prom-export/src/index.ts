export { PrometheusExporter } from './exporter.js';
export type { Exposition, PrometheusExporterOptions } from './exporter.js';
export { renderOpenMetrics, renderPrometheusText } from './exposition.js';
export type { RenderFunctionOptions } from './exposition.js';
export { toMetricsSnapshot } from './snapshot.js';
export { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, contentTypeOf, negotiateFormat } from './negotiate.js';
export { prometheusLabelName, prometheusMetricName, prometheusUnit } from './names.js';
export type { MetricKind } from './names.js';
export { createRenderCache } from './labels.js';
export type { RenderCache } from './labels.js';
export { OgfError, isOgfError } from './errors.js';
export type { PromExportErrorCode } from './errors.js';
export type {
  ExpositionFormat,
  MetricsSnapshot,
  PromClientMetric,
  PromClientRegistryLike,
  RenderOptions,
  SnapshotAttributes,
  SnapshotMetric,
  SnapshotNumber,
  SnapshotPoint,
} from './types.js';
