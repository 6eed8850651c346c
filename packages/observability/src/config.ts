// Configuration: the seed's programmatic fields, each defaulting from the environment variables the
// seed lists and the OpenTelemetry spec defines. Explicit config wins over the environment; an
// invalid value in either fails here, once, with an OgfError naming the setting; a missing
// endpoint is not an error (Prometheus pull only, no span export).
import { OgfError } from './errors.js';
import {
  defaultEnv,
  parseBoolean,
  parseEndpoint,
  parseKeyValueList,
  parseNameList,
  parsePositiveMs,
  parseRatio,
  readVar,
  signalUrl,
  type EnvSource,
} from './env.js';

/** The samplers of `OTEL_TRACES_SAMPLER` this package builds. */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';
/** Values of `OTEL_METRICS_EXPORTER`. The Prometheus pull reader is always present for `/metrics`. */
export type MetricsExporterName = 'otlp' | 'prometheus' | 'none';
/** Values of `OTEL_TRACES_EXPORTER`. */
export type TracesExporterName = 'otlp' | 'none';
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
  /** OTLP request timeout. Env: `OTEL_EXPORTER_OTLP_TIMEOUT` (and per signal). Default 10 000. */
  exportTimeoutMs?: number;
  /** Sampler. Env: `OTEL_TRACES_SAMPLER`. Default `parentbased_always_on`, or `parentbased_traceidratio` when `sampleRate` is set. */
  sampler?: SamplerName;
  /** The seed's SampleRate: ratio of root traces sampled (0 to 1). Env: `OTEL_TRACES_SAMPLER_ARG`. */
  sampleRate?: number;
  /** Env: `OTEL_TRACES_EXPORTER`. Default `otlp` (exports only when an endpoint is set). */
  tracesExporter?: TracesExporterName;
  /** Env: `OTEL_METRICS_EXPORTER`. Default `['otlp']` (pushes only when an endpoint is set). */
  metricsExporters?: MetricsExporterName[];
  /** OTLP metric push interval. Env: `OTEL_METRIC_EXPORT_INTERVAL`. Default 60 000. */
  metricExportIntervalMs?: number;
  /** Everything becomes a no-op and nothing is exported. Env: `OTEL_SDK_DISABLED`. Default false. */
  disabled?: boolean;
  /** Log level. Env: `OTEL_LOG_LEVEL` (none, error, warn, info, debug, verbose, all). Default `info`. */
  logLevel?: LogLevel;
  /** The seed's switches. Default true. */
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
    /** Set when metrics are pushed: metrics enabled, not disabled, `otlp` listed, endpoint known. */
    otlp: OtlpTarget | undefined;
  };
  logging: { enabled: boolean; level: LogLevel };
}

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const METRICS_EXPORTERS: readonly MetricsExporterName[] = ['otlp', 'prometheus', 'none'];
const TRACES_EXPORTERS: readonly TracesExporterName[] = ['otlp', 'none'];
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const OTEL_LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  none: 'silent',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  verbose: 'trace',
  all: 'trace',
};

function fail(setting: string, accepts: string, raw: unknown): never {
  throw new OgfError('ERR_OGF_INVALID_CONFIG', `${setting} must be ${accepts}, got ${JSON.stringify(raw)}`);
}

function optionalString(value: unknown, setting: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(setting, 'a non-empty string', value);
  return value.trim();
}

function optionalBoolean(value: unknown, setting: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  return fail(setting, 'true or false', value);
}

function stringRecord(value: unknown, setting: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(setting, 'an object of strings', value);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') fail(`${setting}.${key}`, 'a string', item);
  }
  return value as Record<string, string>;
}

function oneOf<T extends string>(value: unknown, setting: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(setting, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
}

function checkExporterList(list: MetricsExporterName[], setting: string): MetricsExporterName[] {
  if (list.includes('none') && list.length > 1) fail(setting, '"none" alone, or a list without "none"', list.join(','));
  return list;
}

interface Endpoint {
  url: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
}

function resolveEndpoint(
  signal: 'traces' | 'metrics',
  config: ConfigOptions,
  env: EnvSource,
): Endpoint {
  const upper = signal.toUpperCase();
  const field = signal === 'traces' ? 'tracesEndpoint' : 'metricsEndpoint';
  const explicitSignal = optionalString(config[field], field);
  const explicitBase = optionalString(config.otlpEndpoint, 'otlpEndpoint');
  const envSignal = readVar(env, `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`);
  const envBase = readVar(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  // Validate everything that is set, so a typo fails even when a higher-priority value hides it.
  const parsed = {
    explicitSignal: explicitSignal === undefined ? undefined : parseEndpoint(explicitSignal, field),
    explicitBase: explicitBase === undefined ? undefined : parseEndpoint(explicitBase, 'otlpEndpoint'),
    envSignal: envSignal === undefined ? undefined : parseEndpoint(envSignal, `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`),
    envBase: envBase === undefined ? undefined : parseEndpoint(envBase, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
  };
  const url =
    parsed.explicitSignal ??
    (parsed.explicitBase !== undefined ? signalUrl(parsed.explicitBase, signal) : undefined) ??
    parsed.envSignal ??
    (parsed.envBase !== undefined ? signalUrl(parsed.envBase, signal) : undefined);

  const headerField = signal === 'traces' ? 'tracesHeaders' : 'metricsHeaders';
  const envBaseHeaders = readVar(env, 'OTEL_EXPORTER_OTLP_HEADERS');
  const envSignalHeaders = readVar(env, `OTEL_EXPORTER_OTLP_${upper}_HEADERS`);
  const headers = {
    ...(envBaseHeaders === undefined ? {} : parseKeyValueList(envBaseHeaders, 'OTEL_EXPORTER_OTLP_HEADERS')),
    ...(envSignalHeaders === undefined ? {} : parseKeyValueList(envSignalHeaders, `OTEL_EXPORTER_OTLP_${upper}_HEADERS`)),
    ...stringRecord(config.otlpHeaders, 'otlpHeaders'),
    ...stringRecord(config[headerField], headerField),
  };

  // We send OTLP/HTTP with JSON bodies, which every OTLP/HTTP receiver also accepts when
  // http/protobuf is configured; gRPC is a different port and transport, so it is refused.
  for (const variable of ['OTEL_EXPORTER_OTLP_PROTOCOL', `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`]) {
    const protocol = readVar(env, variable);
    if (protocol !== undefined && protocol !== 'http/protobuf' && protocol !== 'http/json') {
      fail(variable, '"http/protobuf" or "http/json" (spans and metrics are sent as OTLP/HTTP JSON; gRPC is not supported, use port 4318)', protocol);
    }
  }

  const envTimeout = readVar(env, `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`);
  const envBaseTimeout = readVar(env, 'OTEL_EXPORTER_OTLP_TIMEOUT');
  const timeoutMs =
    config.exportTimeoutMs !== undefined
      ? parsePositiveMs(config.exportTimeoutMs, 'exportTimeoutMs')
      : envTimeout !== undefined
        ? parsePositiveMs(envTimeout, `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`)
        : envBaseTimeout !== undefined
          ? parsePositiveMs(envBaseTimeout, 'OTEL_EXPORTER_OTLP_TIMEOUT')
          : 10_000;
  return { url, headers, timeoutMs };
}

function resolveSampler(config: ConfigOptions, env: EnvSource): { sampler: SamplerName; ratio: number } {
  const envSampler = readVar(env, 'OTEL_TRACES_SAMPLER');
  const sampler: SamplerName =
    config.sampler !== undefined
      ? oneOf(config.sampler, 'sampler', SAMPLERS)
      : config.sampleRate !== undefined
        ? 'parentbased_traceidratio'
        : envSampler !== undefined
          ? oneOf(envSampler.toLowerCase(), 'OTEL_TRACES_SAMPLER', SAMPLERS)
          : 'parentbased_always_on';
  if (sampler !== 'traceidratio' && sampler !== 'parentbased_traceidratio') {
    if (config.sampleRate !== undefined) parseRatio(config.sampleRate, 'sampleRate');
    return { sampler, ratio: 1 };
  }
  const envArg = readVar(env, 'OTEL_TRACES_SAMPLER_ARG');
  const ratio =
    config.sampleRate !== undefined
      ? parseRatio(config.sampleRate, 'sampleRate')
      : envArg !== undefined
        ? parseRatio(envArg, 'OTEL_TRACES_SAMPLER_ARG')
        : 1;
  return { sampler, ratio };
}

function resolveResource(config: ConfigOptions, env: EnvSource) {
  const envAttributes = readVar(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const attributes: Record<string, ResourceAttributeValue> = {
    ...(envAttributes === undefined ? {} : parseKeyValueList(envAttributes, 'OTEL_RESOURCE_ATTRIBUTES')),
  };
  if (config.resourceAttributes !== undefined) {
    if (typeof config.resourceAttributes !== 'object' || config.resourceAttributes === null) {
      fail('resourceAttributes', 'an object of strings, numbers or booleans', config.resourceAttributes);
    }
    for (const [key, value] of Object.entries(config.resourceAttributes)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        fail(`resourceAttributes.${key}`, 'a string, number or boolean', value);
      }
      attributes[key] = value;
    }
  }
  const pick = (field: keyof ConfigOptions, variable: string, attribute: string): string | undefined => {
    const value = optionalString(config[field], field) ?? readVar(env, variable);
    const fallback = attributes[attribute];
    return value ?? (fallback === undefined ? undefined : String(fallback));
  };
  const serviceName = pick('serviceName', 'OTEL_SERVICE_NAME', 'service.name') ?? 'unknown_service';
  const serviceVersion = pick('serviceVersion', 'OTEL_SERVICE_VERSION', 'service.version');
  const environment = pick('environment', 'ENVIRONMENT', 'deployment.environment.name');
  attributes['service.name'] = serviceName;
  if (serviceVersion !== undefined) attributes['service.version'] = serviceVersion;
  if (environment !== undefined) attributes['deployment.environment.name'] = environment;
  return { serviceName, serviceVersion, environment, attributes };
}

/**
 * Resolves the configuration once: explicit fields, then environment variables, then defaults.
 * Throws an `OgfError` (code `ERR_OGF_INVALID_CONFIG`) naming the first invalid setting.
 *
 * @example
 * ```ts
 * const resolved = resolveConfig({ serviceName: 'offgridflow', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' } });
 * resolved.tracing.otlp?.url; // 'http://localhost:4318/v1/traces'
 * ```
 */
export function resolveConfig(config: ConfigOptions = {}): ResolvedConfig {
  const env = config.env ?? defaultEnv();
  const resource = resolveResource(config, env);

  const envDisabled = readVar(env, 'OTEL_SDK_DISABLED');
  const disabled =
    optionalBoolean(config.disabled, 'disabled') ??
    (envDisabled === undefined ? false : parseBoolean(envDisabled, 'OTEL_SDK_DISABLED'));

  const envLogLevel = readVar(env, 'OTEL_LOG_LEVEL');
  const level: LogLevel =
    config.logLevel !== undefined
      ? oneOf(config.logLevel, 'logLevel', LOG_LEVELS)
      : envLogLevel !== undefined
        ? (OTEL_LOG_LEVELS[envLogLevel.toLowerCase()] ??
          fail('OTEL_LOG_LEVEL', 'one of "none", "error", "warn", "info", "debug", "verbose", "all"', envLogLevel))
        : 'info';

  const envMetricsExporters = readVar(env, 'OTEL_METRICS_EXPORTER');
  const metricsExporters =
    config.metricsExporters !== undefined
      ? checkExporterList(
          Array.isArray(config.metricsExporters)
            ? config.metricsExporters.map((name, i) => oneOf(name, `metricsExporters[${i}]`, METRICS_EXPORTERS))
            : fail('metricsExporters', 'an array of "otlp", "prometheus", "none"', config.metricsExporters),
          'metricsExporters',
        )
      : envMetricsExporters !== undefined
        ? checkExporterList(parseNameList(envMetricsExporters, 'OTEL_METRICS_EXPORTER', METRICS_EXPORTERS), 'OTEL_METRICS_EXPORTER')
        : (['otlp'] as MetricsExporterName[]);

  const envTracesExporter = readVar(env, 'OTEL_TRACES_EXPORTER');
  const tracesExporter: TracesExporterName =
    config.tracesExporter !== undefined
      ? oneOf(config.tracesExporter, 'tracesExporter', TRACES_EXPORTERS)
      : envTracesExporter !== undefined
        ? oneOf(envTracesExporter.toLowerCase(), 'OTEL_TRACES_EXPORTER', TRACES_EXPORTERS)
        : 'otlp';

  const envInterval = readVar(env, 'OTEL_METRIC_EXPORT_INTERVAL');
  const intervalMs =
    config.metricExportIntervalMs !== undefined
      ? parsePositiveMs(config.metricExportIntervalMs, 'metricExportIntervalMs')
      : envInterval !== undefined
        ? parsePositiveMs(envInterval, 'OTEL_METRIC_EXPORT_INTERVAL')
        : 60_000;

  const sampling = resolveSampler(config, env);
  const traces = resolveEndpoint('traces', config, env);
  const metrics = resolveEndpoint('metrics', config, env);
  const enableTracing = optionalBoolean(config.enableTracing, 'enableTracing') ?? true;
  const enableMetrics = optionalBoolean(config.enableMetrics, 'enableMetrics') ?? true;
  const enableLogging = optionalBoolean(config.enableLogging, 'enableLogging') ?? true;
  const exportSpans = enableTracing && !disabled && tracesExporter === 'otlp' && traces.url !== undefined;
  const pushMetrics = enableMetrics && !disabled && metricsExporters.includes('otlp') && metrics.url !== undefined;

  return {
    serviceName: resource.serviceName,
    serviceVersion: resource.serviceVersion,
    environment: resource.environment,
    resourceAttributes: resource.attributes,
    disabled,
    registerGlobals: optionalBoolean(config.registerGlobals, 'registerGlobals') ?? true,
    shutdownTimeoutMs:
      config.shutdownTimeoutMs === undefined ? 10_000 : parsePositiveMs(config.shutdownTimeoutMs, 'shutdownTimeoutMs'),
    tracing: {
      enabled: enableTracing && !disabled,
      sampler: sampling.sampler,
      ratio: sampling.ratio,
      exporter: tracesExporter,
      otlp: exportSpans ? { url: traces.url!, headers: traces.headers, timeoutMs: traces.timeoutMs } : undefined,
    },
    metrics: {
      enabled: enableMetrics && !disabled,
      exporters: metricsExporters,
      intervalMs,
      otlp: pushMetrics ? { url: metrics.url!, headers: metrics.headers, timeoutMs: metrics.timeoutMs } : undefined,
    },
    logging: { enabled: enableLogging, level: enableLogging ? level : 'silent' },
  };
}
