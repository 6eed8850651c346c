export { createStatusApp } from './app.js';
export type { StatusBody } from './contracts.js';
export type {
  BatchSummary,
  CheckReport,
  Exposition,
  ExpositionFormat,
  HealthReport,
  HealthSource,
  HealthStatus,
  MetricsSource,
  ServiceInfo,
  StreamedExposition,
} from '@ogf/core';
export { isOgfError, OgfError } from '@ogf/core';
export type { StatusHttpErrorCode } from './errors.js';
export { createStatusHandler, type StatusHandler } from './handler.js';
export type { CorsOptions, DashboardOptions, StatusAppOptions } from './options.js';
export { STATUS_ROUTES, type RouteName, type StatusRoute } from './paths.js';
