// The configuration's public shapes: what `createObservability` accepts and what it resolves to.
import type { ExemplarFilter } from '@ogf/metrics';
import type { EnvSource } from './env.js';

/** The samplers of `OTEL_TRACES_SAMPLER` this package builds. */
export type SamplerName =
  'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';
/** Values of `OTEL_METRICS_EXPORTER`. The Prometheus pull reader is always present for `/metrics`. */
export type MetricsExporterName = 'otlp' | 'prometheus' | 'none';
/** Values of `OTEL_TRACES_EXPORTER`. */
export type TracesExporterName = 'otlp' | 'none';
/** Values of `OTEL_EXPORTER_OTLP_PROTOCOL` (and per signal): the OTLP/HTTP encodings this package sends. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';
/** pino's levels. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** Resource attribute values accepted from config. */
export type ResourceAttributeValue = string | number | boolean;

/** The settings of `resolveConfig` / `createObservability`; every field is optional. */
export interface ConfigOptions {
  /** `service.name`. Env: `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`. Default `unknown_service`. */
  serviceName?: string;
  /** `service.version`. Env: `OTEL_SERVICE_VERSION`, then `OTEL_RESOURCE_ATTRIBUTES`. */
  serviceVersion?: string;
  /** `deployment.environment.name`. Env: `ENVIRONMENT`, then `OTEL_RESOURCE_ATTRIBUTES`. */
  environment?: string;
  /** Extra resource attributes, merged over `OTEL_RESOURCE_ATTRIBUTES`. */
  resourceAttributes?: Record<string, ResourceAttributeValue>;
  /** Base OTLP/HTTP endpoint; `/v1/traces` and `/v1/metrics` are appended. Env: `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  otlpEndpoint?: string;
  /** Full traces URL, used as is. Env: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. */
  tracesEndpoint?: string;
  /** Full metrics URL, used as is. Env: `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`. */
  metricsEndpoint?: string;
  /** Headers for every OTLP request, merged over `OTEL_EXPORTER_OTLP_HEADERS`. */
  otlpHeaders?: Record<string, string>;
  /** Headers for span export only. Env: `OTEL_EXPORTER_OTLP_TRACES_HEADERS`. */
  tracesHeaders?: Record<string, string>;
  /** Headers for metric export only. Env: `OTEL_EXPORTER_OTLP_METRICS_HEADERS`. */
  metricsHeaders?: Record<string, string>;
  /**
   * OTLP/HTTP body encoding for spans and metrics. Env: `OTEL_EXPORTER_OTLP_PROTOCOL`, then per signal
   * `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `…_METRICS_PROTOCOL`. Default `http/protobuf` (the spec's default).
   */
  otlpProtocol?: OtlpProtocol;
  /** OTLP request timeout. Env: `OTEL_EXPORTER_OTLP_TIMEOUT` (and per signal). Default 10 000. */
  exportTimeoutMs?: number;
  /** Sampler. Env: `OTEL_TRACES_SAMPLER`. Default `parentbased_always_on`, or `parentbased_traceidratio` when `sampleRate` is set. */
  sampler?: SamplerName;
  /** OffGridFlow's SampleRate: ratio of root traces sampled (0 to 1). Env: `OTEL_TRACES_SAMPLER_ARG`. */
  sampleRate?: number;
  /** Env: `OTEL_TRACES_EXPORTER`. Default `otlp` (exports only when an endpoint is set). */
  tracesExporter?: TracesExporterName;
  /** Env: `OTEL_METRICS_EXPORTER`. Default `['otlp']` (pushes only when an endpoint is set). */
  metricsExporters?: MetricsExporterName[];
  /** OTLP metric push interval. Env: `OTEL_METRIC_EXPORT_INTERVAL`. Default 60 000. */
  metricExportIntervalMs?: number;
  /**
   * Which histogram measurements keep an exemplar (trace id on the bucket, in OpenMetrics): `trace_based`
   * (inside a sampled span), `always_on` (inside any span), `always_off` (none, nothing wrapped).
   * Env: `OTEL_METRICS_EXEMPLAR_FILTER`. Default `trace_based`.
   */
  exemplarFilter?: ExemplarFilter;
  /** Everything becomes a no-op and nothing is exported. Env: `OTEL_SDK_DISABLED`. Default false. */
  disabled?: boolean;
  /** Log level. Env: `OTEL_LOG_LEVEL` (none, error, warn, info, debug, verbose, all). Default `info`. */
  logLevel?: LogLevel;
  /** OffGridFlow's switches. Default true. */
  enableMetrics?: boolean;
  enableTracing?: boolean;
  enableLogging?: boolean;
  /** Register the providers, context manager and W3C propagators as the OTel globals. Default true. */
  registerGlobals?: boolean;
  /** Total time `shutdown()` may take. Default 10 000. */
  shutdownTimeoutMs?: number;
  /** Where env vars are read from. Default `globalThis.process.env` when present (pass bindings on workerd). */
  env?: EnvSource;
}

/** An OTLP destination after resolution. */
export interface OtlpTarget {
  url: string;
  /** `http/protobuf` (default) or `http/json`. */
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Every setting after defaults, environment and validation; what the providers are built from. */
export interface ResolvedConfig {
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string | undefined;
  /** The resource: `OTEL_RESOURCE_ATTRIBUTES`, config, then service name, version and environment. */
  resourceAttributes: Record<string, ResourceAttributeValue>;
  disabled: boolean;
  registerGlobals: boolean;
  shutdownTimeoutMs: number;
  tracing: {
    enabled: boolean;
    sampler: SamplerName;
    /** Used by the ratio samplers; 1 otherwise. */
    ratio: number;
    exporter: TracesExporterName;
    /** Set when spans are exported: tracing enabled, not disabled, exporter `otlp`, endpoint known. */
    otlp: OtlpTarget | undefined;
  };
  metrics: {
    enabled: boolean;
    exporters: MetricsExporterName[];
    intervalMs: number;
    exemplarFilter: ExemplarFilter;
    /** Set when metrics are pushed: metrics enabled, not disabled, `otlp` listed, endpoint known. */
    otlp: OtlpTarget | undefined;
  };
  logging: { enabled: boolean; level: LogLevel };
}
