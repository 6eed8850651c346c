// @ogf/core: what more than one @ogf package needs and must agree on. Zero dependencies, Web APIs
// only; it imports nothing of ours.
export { OgfError, errorReporter, isOgfError } from './errors.js';
export type { OgfErrorCode } from './errors.js';
export { categorizeFailure, redactFailure, scrubMessage } from './redact.js';
export type { FailureCategory } from './redact.js';
export { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, contentTypeOf, negotiateFormat } from './negotiate.js';
export type { ExpositionFormat } from './negotiate.js';
export type { MetricKind, MetricsSnapshot, SnapshotAttributes, SnapshotMetric, SnapshotNumber, SnapshotPoint } from './snapshot.js';
export type { BatchSummary, LatencyPercentiles, SlowestBatch } from './summary.js';
export { isHealthStatus } from './health.js';
export type { CheckReport, HealthReport, HealthStatus } from './health.js';
export type { Exposition, HealthSource, MetricsSource, ServiceInfo, StreamedExposition } from './sources.js';
