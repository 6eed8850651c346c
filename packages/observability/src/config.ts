// Configuration: OffGridFlow's programmatic fields, each defaulting from the environment variables the
// OffGridFlow lists and the OpenTelemetry spec defines. Explicit config wins over the environment; an
// invalid value in either fails here, once, with an OgfError naming the setting; a missing
// endpoint is not an error (Prometheus pull only, no span export).
import type { ConfigOptions, LogLevel, MetricsExporterName, ResolvedConfig, SamplerName, TracesExporterName } from './config-types.js';
import { defaultEnv, parseBoolean, parseNameList, parsePositiveMs, parseRatio, readVar, type EnvSource } from './env.js';
import { parseExemplarFilter } from '@ogf/metrics';
import { resolveEndpoint } from './otlp-target.js';
import { resolveResource } from './resource.js';
import { fail, oneOf, optionalBoolean } from './validate.js';

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
} from './config-types.js';

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
// A Map: the variable is user input, and `constructor` must not find Object.prototype's.
const OTEL_LOG_LEVELS: ReadonlyMap<string, LogLevel> = new Map<string, LogLevel>([
  ['none', 'silent'],
  ['error', 'error'],
  ['warn', 'warn'],
  ['info', 'info'],
  ['debug', 'debug'],
  ['verbose', 'trace'],
  ['all', 'trace'],
]);

function checkExporterList(list: MetricsExporterName[], setting: string): MetricsExporterName[] {
  if (list.includes('none') && list.length > 1) fail(setting, '"none" alone, or a list without "none"', list.join(','));
  return list;
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

export function resolveConfig(config: ConfigOptions = {}): ResolvedConfig {
  const env = config.env ?? defaultEnv();
  const resource = resolveResource(config, env);

  const envDisabled = readVar(env, 'OTEL_SDK_DISABLED');
  const disabled =
    optionalBoolean(config.disabled, 'disabled') ?? (envDisabled === undefined ? false : parseBoolean(envDisabled, 'OTEL_SDK_DISABLED'));

  const envLogLevel = readVar(env, 'OTEL_LOG_LEVEL');
  const level: LogLevel =
    config.logLevel !== undefined
      ? oneOf(config.logLevel, 'logLevel', LOG_LEVELS)
      : envLogLevel !== undefined
        ? (OTEL_LOG_LEVELS.get(envLogLevel.toLowerCase()) ??
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

  const exemplarFilter =
    config.exemplarFilter !== undefined
      ? parseExemplarFilter(config.exemplarFilter, 'exemplarFilter')
      : parseExemplarFilter(readVar(env, 'OTEL_METRICS_EXEMPLAR_FILTER'), 'OTEL_METRICS_EXEMPLAR_FILTER');

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
    shutdownTimeoutMs: config.shutdownTimeoutMs === undefined ? 10_000 : parsePositiveMs(config.shutdownTimeoutMs, 'shutdownTimeoutMs'),
    tracing: {
      enabled: enableTracing && !disabled,
      sampler: sampling.sampler,
      ratio: sampling.ratio,
      exporter: tracesExporter,
      otlp: exportSpans ? { url: traces.url!, protocol: traces.protocol, headers: traces.headers, timeoutMs: traces.timeoutMs } : undefined,
    },
    metrics: {
      enabled: enableMetrics && !disabled,
      exporters: metricsExporters,
      intervalMs,
      exemplarFilter,
      otlp: pushMetrics
        ? { url: metrics.url!, protocol: metrics.protocol, headers: metrics.headers, timeoutMs: metrics.timeoutMs }
        : undefined,
    },
    logging: { enabled: enableLogging, level: enableLogging ? level : 'silent' },
  };
}
