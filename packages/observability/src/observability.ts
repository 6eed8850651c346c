// createObservability: OffGridFlow's NewProvider. Resolves the configuration, builds the providers,
// hands them to @ogf/metrics, @ogf/tracing and @ogf/health, serves everything through
// @ogf/status-http, and returns the pieces with forceFlush() and shutdown(). No logic of its own
// beyond wiring, configuration and the shutdown order.
import type { OgfError } from '@ogf/core';
import { createHealthChecker } from '@ogf/health';
import type { HealthChecker, HealthCheckerOptions } from '@ogf/health';
import { createBatchMetrics, createBatchSummarizer } from '@ogf/metrics';
import type { BatchMetrics, BatchMetricsOptions, ExemplarReservoir } from '@ogf/metrics';
import { PrometheusExporter } from '@ogf/prom-export';
import type { PrometheusExporterOptions } from '@ogf/prom-export';
import { createStatusApp } from '@ogf/status-http';
import type { StatusAppOptions } from '@ogf/status-http';
import { createBatchTracer } from '@ogf/tracing';
import type { BatchTracer, BatchTracerOptions } from '@ogf/tracing';
import type { ContextManager, MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { resolveConfig } from './config.js';
import type { ConfigOptions, ResolvedConfig } from './config.js';
import { createAsyncContextManager } from './context.js';
import { createDeliveryTracker } from './delivery.js';
import type { DeliveryStats, DeliveryTracker } from './delivery.js';
import { createAuditLog, createLogger } from './logger.js';
import type { AuditLog, LogDestination, StateTransitionRecord } from './logger.js';
import { buildProviders } from './providers.js';
import { exemplarReservoirFor, withExemplars, withSlowestBatch } from './exemplars.js';
import type { Providers } from './providers.js';
import { createBatchLifecycle } from './lifecycle/create.js';
import type { BatchLifecycle, BatchLifecycleOptions } from './lifecycle/types.js';
import { createRequestAdapters } from './requests/adapters.js';
import type { RequestTelemetry } from './requests/adapters.js';
import type { RequestTelemetryOptions } from './requests/options.js';
import { createRequestTelemetryCore } from './requests/request-telemetry.js';
import { registerGlobals } from './globals.js';
import { createShutdownController } from './shutdown.js';
import type { DrainHook, DrainOptions, PendingWork, ShutdownReport } from './shutdown.js';

/** Everything `createObservability` accepts: the configuration plus options passed to each package. */
export interface ObservabilityConfig extends ConfigOptions {
  /** Your own pino logger, used as is (add `mixin: traceContextFields` for trace ids). Default: one built from the config. */
  logger?: Logger;
  /** Where the built logger writes JSON lines. Default: stdout (console on workerd). */
  logDestination?: LogDestination;
  /**
   * Told about every error the composed packages report at runtime (dropped values, failing
   * sources, a throwing propagator). Default: a `warn` line in the log with the error's `code`.
   */
  onError?: (error: OgfError) => void;
  /** Context manager to register. Default: one on AsyncLocalStorage when the runtime has it; `false` for none. */
  contextManager?: ContextManager | false;
  /** Passed to `createBatchMetrics` (the meter provider is ours). */
  metricsOptions?: Omit<BatchMetricsOptions, 'meterProvider'>;
  /** Passed to `createBatchTracer` (the tracer provider is ours). */
  tracerOptions?: Omit<BatchTracerOptions, 'tracerProvider'>;
  /** Passed to `createHealthChecker` (the meter for `health.check.status` is ours). */
  healthOptions?: Omit<HealthCheckerOptions, 'meterProvider'>;
  /** Passed to `new PrometheusExporter` (e.g. prom-client `registries`). */
  prometheusOptions?: PrometheusExporterOptions;
  /** Passed to `createStatusApp` (e.g. `token`, `basePath`); health, metrics and service info are ours. */
  statusOptions?: Omit<StatusAppOptions, 'health' | 'metrics' | 'service'>;
  /** Passed to `createBatchLifecycle` (e.g. `queue: 'external'`, `lockTimeoutMs`); metrics, tracer, audit and logger are ours. */
  lifecycleOptions?: Omit<BatchLifecycleOptions, 'metrics' | 'tracer' | 'audit' | 'logger'>;
  /** Options of `obs.requests` (trusting incoming trace context, excluded paths, request id header, access log). */
  requestOptions?: RequestTelemetryOptions;
}

/** A state transition for `recordStateTransition`, optionally with the span to mark. */
export interface StateTransition extends StateTransitionRecord {
  /** A `batch.processing` span handle from `obs.tracer`: gets a `state.transition` event. */
  span?: { stateTransition(from: string, to: string): void };
}

/** What `createObservability` returns. */
export interface Observability {
  /** The resolved configuration (read-only). */
  readonly config: ResolvedConfig;
  /** Batch metrics from @ogf/metrics, recording into our MeterProvider. */
  readonly metrics: BatchMetrics;
  /** Batch spans from @ogf/tracing, from our TracerProvider. */
  readonly tracer: BatchTracer;
  /** The health checker from @ogf/health; register your checks here. */
  readonly health: HealthChecker;
  /** The Prometheus pull reader from @ogf/prom-export. */
  readonly exporter: PrometheusExporter;
  /** JSON-lines pino logger with service fields and the active span's ids. */
  readonly logger: Logger;
  /** The audit trail of batch state transitions. */
  readonly audit: AuditLog;
  /**
   * The batch lifecycle: `submit`, `process` (with `run.activity` and `run.lock`) record metrics,
   * spans, audit records and log fields in one call per step. Prefer it to the parallel calls on
   * `metrics`, `tracer` and `recordStateTransition`.
   */
  readonly batches: BatchLifecycle;
  /** The Hono app from @ogf/status-http: /health, /health/live, /health/ready, /status, /metrics, /metrics/json, /api/v1/…. */
  readonly app: Hono;
  /**
   * Request telemetry: a server span per request (continuing the caller's `traceparent`), request
   * metrics, `X-Request-ID`, an access log line. `app.use(obs.requests.hono())` or
   * `obs.requests.fetch(handler)`.
   */
  readonly requests: RequestTelemetry;
  /** The providers, for your own instruments and spans. */
  readonly meterProvider: MeterProvider;
  readonly tracerProvider: TracerProvider;
  /** A batch changed state: metric `batch.state.transitions`, an audit record and, with `span`, a span event. */
  recordStateTransition(transition: StateTransition): void;
  /** Work `shutdown()` waits for (e.g. in-flight batches) before flushing; returns a function that removes it. */
  addDrainHook(name: string, hook: DrainHook, options?: DrainOptions): () => void;
  /** Spans and metric points delivered or lost so far. */
  delivery(): DeliveryStats;
  /** What is outstanding right now: running drain hooks, undelivered spans and points. */
  pending(): PendingWork;
  /** Exports buffered spans and metrics now. */
  forceFlush(options?: { timeoutMs?: number }): Promise<void>;
  /** Readiness fails, drain hooks run, telemetry is flushed, providers stop; all within the deadline. Idempotent. */
  shutdown(options?: { timeoutMs?: number }): Promise<ShutdownReport>;
}

/**
 * Sets up metrics, traces, logs, health and the HTTP surface from the config and `OTEL_*`
 * variables (explicit config wins). Throws an `OgfError` naming the setting when one is invalid.
 * Starts no listener and no timer unless OTLP metric push is configured.
 *
 * @example
 * ```ts
 * const obs = createObservability({ serviceName: 'offgridflow', serviceVersion: '1.0.0' });
 * obs.metrics.recordBatchSubmission({ activityCount: 120 });
 * const response = await obs.app.request('/metrics');
 * await obs.shutdown();
 * ```
 */
export function createObservability(options: ObservabilityConfig = {}): Observability {
  const config = resolveConfig(options);
  const logger =
    options.logger ??
    createLogger({
      level: config.logging.level,
      serviceName: config.serviceName,
      serviceVersion: config.serviceVersion,
      environment: config.environment,
      ...(options.logDestination ? { destination: options.logDestination } : {}),
    });
  const warn = (source: string) =>
    options.onError ??
    ((error: OgfError): void => {
      logger.warn({ event: 'ogf.error', source, code: error.code, err: error.message }, error.message);
    });

  const reservoir = exemplarReservoirFor(config);
  const exporter = new PrometheusExporter({
    onError: warn('prom-export'),
    ...(reservoir === undefined ? {} : { exemplars: reservoir }),
    ...options.prometheusOptions,
  });
  const delivery = createDeliveryTracker();
  const providers = withExemplars(buildProviders(config, exporter, delivery), reservoir);
  try {
    return compose(options, config, logger, exporter, delivery, providers, warn, reservoir);
  } catch (error) {
    // A bad option for one of the packages: stop the push reader's timer before rethrowing.
    providers.sdkMeterProvider.shutdown().catch(() => undefined);
    providers.sdkTracerProvider?.shutdown().catch(() => undefined);
    throw error;
  }
}

function compose(
  options: ObservabilityConfig,
  config: ResolvedConfig,
  logger: Logger,
  exporter: PrometheusExporter,
  delivery: DeliveryTracker,
  providers: Providers,
  warn: (source: string) => (error: OgfError) => void,
  reservoir: ExemplarReservoir | undefined,
): Observability {
  const metrics = createBatchMetrics({ onError: warn('metrics'), ...options.metricsOptions, meterProvider: providers.meterProvider });
  const tracer = createBatchTracer({ onError: warn('tracing'), ...options.tracerOptions, tracerProvider: providers.tracerProvider });
  const health = createHealthChecker({
    ...options.healthOptions,
    ...(config.metrics.enabled ? { meterProvider: providers.meterProvider } : {}),
  });
  const summarizer = createBatchSummarizer(
    options.metricsOptions?.scopeName === undefined ? {} : { scopeName: options.metricsOptions.scopeName },
  );
  // `service.instance.id` (OTEL_RESOURCE_ATTRIBUTES or resourceAttributes) names the process on /status.
  const instance = config.resourceAttributes['service.instance.id'];
  const app = createStatusApp({
    onError: warn('status-http'),
    ...options.statusOptions,
    health,
    metrics: {
      render: (request) => exporter.render(request),
      renderStream: (request) => exporter.renderStream(request),
      summary: async () => withSlowestBatch(summarizer.summarize(await exporter.snapshot()), reservoir, metrics.scopeName, Date.now()),
    },
    service: {
      name: config.serviceName,
      ...(config.serviceVersion === undefined ? {} : { version: config.serviceVersion }),
      ...(config.environment === undefined ? {} : { environment: config.environment }),
      ...(instance === undefined ? {} : { instance: String(instance) }),
    },
  });
  const audit = createAuditLog(logger);
  const batches = createBatchLifecycle({
    onError: warn('lifecycle'),
    ...options.lifecycleOptions,
    metrics,
    tracer,
    audit,
    logger,
  });

  const requests = createRequestAdapters(
    createRequestTelemetryCore(
      { tracerProvider: providers.tracerProvider, meterProvider: providers.meterProvider, logger },
      options.requestOptions,
    ),
  );

  const contextManager = options.contextManager === false ? undefined : (options.contextManager ?? createAsyncContextManager());
  const unregister =
    config.registerGlobals && !config.disabled
      ? registerGlobals(
          config,
          {
            contextManager,
            tracerProvider: providers.sdkTracerProvider,
            meterProvider: config.metrics.enabled ? providers.meterProvider : undefined,
          },
          logger,
        )
      : () => undefined;

  const controller = createShutdownController({
    beginShutdown: () => health.beginShutdown(),
    providers: providers.sdkTracerProvider ? [providers.sdkMeterProvider, providers.sdkTracerProvider] : [providers.sdkMeterProvider],
    delivery,
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    finally: unregister,
  });

  return {
    config,
    metrics,
    tracer,
    health,
    exporter,
    logger,
    audit,
    batches,
    app,
    requests,
    meterProvider: providers.meterProvider,
    tracerProvider: providers.tracerProvider,
    recordStateTransition(transition) {
      const { span, ...record } = transition;
      metrics.recordStateTransition({ from: record.from, to: record.to });
      try {
        span?.stateTransition(record.from, record.to);
      } catch {
        // Recording never throws into the caller.
      }
      audit.stateTransition(record);
    },
    addDrainHook: (name, hook, drainOptions) => controller.addDrainHook(name, hook, drainOptions),
    delivery: () => delivery.stats(),
    pending: () => controller.pending(),
    forceFlush: (flushOptions = {}) => controller.forceFlush(flushOptions.timeoutMs),
    shutdown: (shutdownOptions) => controller.shutdown(shutdownOptions),
  };
}
