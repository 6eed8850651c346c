// Where one signal (traces or metrics) is sent: the URL by the spec's precedence (per-signal
// endpoint as is, base endpoint with `/v1/<signal>` appended; config before environment), the
// merged headers, the timeout, and a check that the protocol is one we speak.
import type { ConfigOptions, OtlpProtocol } from './config-types.js';
import { parseEndpoint, parseKeyValueList, parsePositiveMs, readVar, signalUrl, type EnvSource } from './env.js';
import { fail, oneOf, optionalString, stringRecord } from './validate.js';

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

/** One signal's destination; `url` is undefined when no endpoint is configured. */
export interface Endpoint {
  url: string | undefined;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Resolves the destination of one signal. */
export function resolveEndpoint(signal: 'traces' | 'metrics', config: ConfigOptions, env: EnvSource): Endpoint {
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

  // OTLP/HTTP with protobuf (the spec's default) or JSON bodies; gRPC is a different port and
  // transport, so it is refused. Config before the per-signal variable before the base one.
  let protocol: OtlpProtocol = 'http/protobuf';
  for (const variable of ['OTEL_EXPORTER_OTLP_PROTOCOL', `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`]) {
    // Enum values are case-insensitive, as the spec asks of every OTEL_* enum.
    const raw = readVar(env, variable);
    if (raw === undefined) continue;
    const value = raw.toLowerCase();
    if (!(PROTOCOLS as readonly string[]).includes(value)) {
      fail(variable, '"http/protobuf" or "http/json" (OTLP/HTTP; gRPC is not supported, use port 4318)', raw);
    }
    protocol = value as OtlpProtocol;
  }
  if (config.otlpProtocol !== undefined) protocol = oneOf(config.otlpProtocol, 'otlpProtocol', PROTOCOLS);

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
  return { url, protocol, headers, timeoutMs };
}
