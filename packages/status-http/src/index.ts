export { createStatusApp } from './app.js';
export type {
  BatchSummary,
  HealthCheckResult,
  HealthReport,
  HealthSource,
  HealthStatus,
  LatencyQuantiles,
  MetricsFormat,
  MetricsSource,
  RenderedMetrics,
  ServiceInfo,
  StatusBody,
} from './contracts.js';
export { isOgfError, OgfError, type StatusHttpErrorCode } from './errors.js';
export { createStatusHandler, type StatusHandler } from './handler.js';
export { negotiateMetricsFormat, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from './negotiate.js';
export type { CorsOptions, StatusAppOptions } from './options.js';
export { STATUS_ROUTES, type RouteName, type StatusRoute } from './paths.js';
