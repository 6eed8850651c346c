// @ogf/observability: one call sets up metrics, traces, logs, health and the HTTP surface.
// Web APIs only; the SIGTERM/SIGINT helper lives in @ogf/observability/node.
export { createObservability } from './observability.js';
export type { Observability, ObservabilityConfig, StateTransition } from './observability.js';
export { resolveConfig } from './config.js';
export type {
  ConfigOptions,
  LogLevel,
  MetricsExporterName,
  OtlpProtocol,
  OtlpTarget,
  ResolvedConfig,
  ResourceAttributeValue,
  SamplerName,
  TracesExporterName,
} from './config.js';
export { createAuditLog, createLogger, traceContextFields } from './logger.js';
export type { AuditLog, CreateLoggerOptions, LogDestination, StateTransitionRecord } from './logger.js';
export { createBatchLifecycle } from './lifecycle/create.js';
export type {
  ActivityRef,
  ActivityRun,
  BatchCompletion,
  BatchLifecycle,
  BatchLifecycleOptions,
  BatchRun,
  Instant,
  LockOptions,
  ManualActivity,
  ManualBatchRun,
  ManualSubmission,
  ProcessOptions,
  ProcessRef,
  Submission,
  SubmitRef,
} from './lifecycle/types.js';
export type { FetchHandler, FetchTelemetryOptions, RequestTelemetry } from './requests/adapters.js';
export type { RequestTelemetryOptions } from './requests/options.js';
export type { ExpressMiddleware, ExpressRequestLike, ExpressResponseLike } from './requests/express.js';
export { acceptRequestId, requestIdOf, MAX_REQUEST_ID_LENGTH } from './requests/request-id.js';
export { REQUEST_ID_ATTRIBUTE } from './requests/span-processor.js';
export { createAsyncContextManager } from './context.js';
export type { AsyncLocalStorageClass, AsyncLocalStorageLike } from './context.js';
export type { DeliveryStats } from './delivery.js';
export type { DrainHook, DrainOptions, DrainResult, PendingWork, ShutdownReport } from './shutdown.js';
export type { EnvSource } from './env.js';
export { OgfError, isOgfError } from '@ogf/core';
export type { ObservabilityErrorCode } from './errors.js';

// The packages this one composes, as namespaces (the meta-package's one exception to explicit names).
export * as metrics from '@ogf/metrics';
export * as tracing from '@ogf/tracing';
export * as health from '@ogf/health';
export * as promExport from '@ogf/prom-export';
export * as statusHttp from '@ogf/status-http';
