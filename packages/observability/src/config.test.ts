import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import { isOgfError } from './errors.js';

function rejects(run: () => unknown, ...fragments: string[]): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(isOgfError(caught), 'an OgfError was thrown').toBe(true);
  const error = caught as Error & { code: string };
  expect(error.code).toBe('ERR_OGF_INVALID_OPTION');
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

describe('defaults with an empty environment', () => {
  const resolved = resolveConfig({ env: {} });

  it('names the service unknown_service as the spec says, with no version or environment', () => {
    expect(resolved.serviceName).toBe('unknown_service');
    expect(resolved.serviceVersion).toBeUndefined();
    expect(resolved.environment).toBeUndefined();
    expect(resolved.resourceAttributes).toEqual({ 'service.name': 'unknown_service' });
  });

  it('samples parent-based always-on and exports nothing without an endpoint', () => {
    expect(resolved.tracing).toMatchObject({ enabled: true, sampler: 'parentbased_always_on', ratio: 1, otlp: undefined });
    expect(resolved.metrics).toMatchObject({ enabled: true, exporters: ['otlp'], intervalMs: 60_000, otlp: undefined });
  });

  it('logs at info, is enabled, registers globals and allows 10 s to shut down', () => {
    expect(resolved.logging).toEqual({ enabled: true, level: 'info' });
    expect(resolved.disabled).toBe(false);
    expect(resolved.registerGlobals).toBe(true);
    expect(resolved.shutdownTimeoutMs).toBe(10_000);
  });

  it('reads globalThis.process.env when no env option is given', () => {
    const before = process.env.OTEL_SERVICE_NAME;
    process.env.OTEL_SERVICE_NAME = 'from-process-env';
    try {
      expect(resolveConfig().serviceName).toBe('from-process-env');
    } finally {
      if (before === undefined) delete process.env.OTEL_SERVICE_NAME;
      else process.env.OTEL_SERVICE_NAME = before;
    }
  });

  it('treats blank variables as unset', () => {
    const blank = resolveConfig({ env: { OTEL_SERVICE_NAME: '  ', OTEL_SDK_DISABLED: '', OTEL_EXPORTER_OTLP_ENDPOINT: '' } });
    expect(blank.serviceName).toBe('unknown_service');
    expect(blank.disabled).toBe(false);
    expect(blank.tracing.otlp).toBeUndefined();
  });
});

describe('OTEL_SERVICE_NAME, OTEL_SERVICE_VERSION and ENVIRONMENT', () => {
  const env = { OTEL_SERVICE_NAME: 'offgridflow', OTEL_SERVICE_VERSION: '1.0.0', ENVIRONMENT: 'production' };

  it('are read into the resource, environment as deployment.environment.name', () => {
    const resolved = resolveConfig({ env });
    expect(resolved).toMatchObject({ serviceName: 'offgridflow', serviceVersion: '1.0.0', environment: 'production' });
    expect(resolved.resourceAttributes).toEqual({
      'service.name': 'offgridflow',
      'service.version': '1.0.0',
      'deployment.environment.name': 'production',
    });
  });

  it('are overridden by serviceName, serviceVersion and environment', () => {
    const resolved = resolveConfig({ env, serviceName: 'api', serviceVersion: '2.0.0', environment: 'staging' });
    expect(resolved).toMatchObject({ serviceName: 'api', serviceVersion: '2.0.0', environment: 'staging' });
    expect(resolved.resourceAttributes['deployment.environment.name']).toBe('staging');
  });

  it('reject an empty serviceName in config', () => {
    rejects(() => resolveConfig({ env, serviceName: '' }), 'serviceName', 'non-empty string');
  });
});

describe('OTEL_RESOURCE_ATTRIBUTES', () => {
  it('is parsed as key=value pairs with percent-decoded values', () => {
    const resolved = resolveConfig({
      env: { OTEL_RESOURCE_ATTRIBUTES: 'team=carbon, region = eu%2Dwest%2C1 ,,note=a%3Db%20c,host.name=h1' },
    });
    expect(resolved.resourceAttributes).toEqual({
      team: 'carbon',
      region: 'eu-west,1',
      note: 'a=b c',
      'host.name': 'h1',
      'service.name': 'unknown_service',
    });
  });

  it('supplies service.name, service.version and the environment when nothing more specific does', () => {
    const resolved = resolveConfig({
      env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,service.version=3,deployment.environment.name=qa' },
    });
    expect(resolved).toMatchObject({ serviceName: 'from-attrs', serviceVersion: '3', environment: 'qa' });
  });

  it('loses service.name to OTEL_SERVICE_NAME, as the spec says', () => {
    const resolved = resolveConfig({ env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=attrs', OTEL_SERVICE_NAME: 'named' } });
    expect(resolved.resourceAttributes['service.name']).toBe('named');
  });

  it('is overridden key by key by resourceAttributes', () => {
    const resolved = resolveConfig({ env: { OTEL_RESOURCE_ATTRIBUTES: 'a=1,b=2' }, resourceAttributes: { b: 3, c: true } });
    expect(resolved.resourceAttributes).toMatchObject({ a: '1', b: 3, c: true });
  });

  it('rejects an entry without "=" and a broken percent-encoding', () => {
    rejects(() => resolveConfig({ env: { OTEL_RESOURCE_ATTRIBUTES: 'a=1,broken' } }), 'OTEL_RESOURCE_ATTRIBUTES', 'key=value');
    rejects(() => resolveConfig({ env: { OTEL_RESOURCE_ATTRIBUTES: '=1' } }), 'OTEL_RESOURCE_ATTRIBUTES');
    rejects(() => resolveConfig({ env: { OTEL_RESOURCE_ATTRIBUTES: 'a=100%' } }), 'OTEL_RESOURCE_ATTRIBUTES', 'percent-encoding');
  });

  it('rejects a resourceAttributes value that is not a string, number or boolean', () => {
    rejects(() => resolveConfig({ env: {}, resourceAttributes: { a: {} as never } }), 'resourceAttributes.a');
  });
});

describe('OTEL_EXPORTER_OTLP_ENDPOINT and the per-signal endpoints', () => {
  it('appends /v1/traces and /v1/metrics to the base endpoint', () => {
    const resolved = resolveConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } });
    expect(resolved.tracing.otlp?.url).toBe('http://collector:4318/v1/traces');
    expect(resolved.metrics.otlp?.url).toBe('http://collector:4318/v1/metrics');
  });

  it('keeps a base path when appending', () => {
    const resolved = resolveConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://gw.example/otlp/' } });
    expect(resolved.tracing.otlp?.url).toBe('https://gw.example/otlp/v1/traces');
  });

  it("reads the seed's scheme-less localhost:4318 as http://localhost:4318", () => {
    const resolved = resolveConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' } });
    expect(resolved.tracing.otlp?.url).toBe('http://localhost:4318/v1/traces');
    expect(resolveConfig({ env: {}, otlpEndpoint: '127.0.0.1:4318' }).metrics.otlp?.url).toBe('http://127.0.0.1:4318/v1/metrics');
  });

  it('uses per-signal endpoints as they are, over the base endpoint', () => {
    const resolved = resolveConfig({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom/traces',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://mimir:9009/otlp/v1/metrics',
      },
    });
    expect(resolved.tracing.otlp?.url).toBe('http://tempo:4318/custom/traces');
    expect(resolved.metrics.otlp?.url).toBe('http://mimir:9009/otlp/v1/metrics');
  });

  it('lets otlpEndpoint, tracesEndpoint and metricsEndpoint in config win over every variable', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env-traces:4318/v1/traces',
    };
    expect(resolveConfig({ env, otlpEndpoint: 'http://mine:4318' }).tracing.otlp?.url).toBe('http://mine:4318/v1/traces');
    const both = resolveConfig({ env, tracesEndpoint: 'http://t/x', metricsEndpoint: 'http://m/y' });
    expect(both.tracing.otlp?.url).toBe('http://t/x');
    expect(both.metrics.otlp?.url).toBe('http://m/y');
  });

  it('rejects an endpoint that is not an http(s) URL or host:port, naming the variable', () => {
    for (const bad of ['not a url', 'ftp://collector:21', 'http://', '://x', 'localhost:99999999']) {
      rejects(() => resolveConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: bad } }), 'OTEL_EXPORTER_OTLP_ENDPOINT', 'http://');
    }
    rejects(() => resolveConfig({ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'nope nope' } }), 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    rejects(() => resolveConfig({ env: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'mailto:x@y' } }), 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
    rejects(() => resolveConfig({ env: {}, otlpEndpoint: 'what?' }), 'otlpEndpoint');
  });

  it('sends nothing when tracing or metrics are switched off or the exporter is none', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(resolveConfig({ env, enableTracing: false }).tracing.otlp).toBeUndefined();
    expect(resolveConfig({ env, enableMetrics: false }).metrics.otlp).toBeUndefined();
    expect(resolveConfig({ env: { ...env, OTEL_TRACES_EXPORTER: 'none' } }).tracing.otlp).toBeUndefined();
  });
});

describe('OTEL_EXPORTER_OTLP_HEADERS and timeouts', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };

  it('parses percent-decoded headers, per-signal headers override the shared ones', () => {
    const resolved = resolveConfig({
      env: {
        ...endpoint,
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc,x-tenant=a',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=b',
      },
    });
    expect(resolved.tracing.otlp?.headers).toEqual({ Authorization: 'Bearer abc', 'x-tenant': 'b' });
    expect(resolved.metrics.otlp?.headers).toEqual({ Authorization: 'Bearer abc', 'x-tenant': 'a' });
  });

  it('lets otlpHeaders and the per-signal header fields win', () => {
    const resolved = resolveConfig({
      env: { ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'a=env,b=env' },
      otlpHeaders: { a: 'config' },
      metricsHeaders: { b: 'metrics' },
    });
    expect(resolved.tracing.otlp?.headers).toEqual({ a: 'config', b: 'env' });
    expect(resolved.metrics.otlp?.headers).toEqual({ a: 'config', b: 'metrics' });
  });

  it('rejects malformed headers', () => {
    rejects(() => resolveConfig({ env: { ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'novalue' } }), 'OTEL_EXPORTER_OTLP_HEADERS');
    rejects(
      () => resolveConfig({ env: { ...endpoint, OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'a=%E0%A4%A' } }),
      'OTEL_EXPORTER_OTLP_METRICS_HEADERS',
    );
    rejects(() => resolveConfig({ env: endpoint, otlpHeaders: { a: 1 as never } }), 'otlpHeaders.a');
  });

  it('reads OTEL_EXPORTER_OTLP_TIMEOUT, per-signal timeouts first, config over both', () => {
    const env = { ...endpoint, OTEL_EXPORTER_OTLP_TIMEOUT: '2000', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '500' };
    expect(resolveConfig({ env }).tracing.otlp?.timeoutMs).toBe(500);
    expect(resolveConfig({ env }).metrics.otlp?.timeoutMs).toBe(2000);
    expect(resolveConfig({ env, exportTimeoutMs: 42 }).tracing.otlp?.timeoutMs).toBe(42);
    expect(resolveConfig({ env: endpoint }).tracing.otlp?.timeoutMs).toBe(10_000);
    rejects(() => resolveConfig({ env: { OTEL_EXPORTER_OTLP_TIMEOUT: '1.5s' } }), 'OTEL_EXPORTER_OTLP_TIMEOUT', 'milliseconds');
  });
});

describe('OTEL_EXPORTER_OTLP_PROTOCOL', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };

  it('sends protobuf by default, as the spec says', () => {
    const config = resolveConfig({ env: endpoint });
    expect(config.tracing.otlp?.protocol).toBe('http/protobuf');
    expect(config.metrics.otlp?.protocol).toBe('http/protobuf');
  });

  it('reads the base variable, then the per-signal one, then the otlpProtocol field', () => {
    const base = resolveConfig({ env: { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } });
    expect([base.tracing.otlp?.protocol, base.metrics.otlp?.protocol]).toEqual(['http/json', 'http/json']);
    const perSignal = resolveConfig({
      env: { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
    });
    expect([perSignal.tracing.otlp?.protocol, perSignal.metrics.otlp?.protocol]).toEqual(['http/protobuf', 'http/json']);
    const metricsOnly = resolveConfig({ env: { ...endpoint, OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json' } });
    expect([metricsOnly.tracing.otlp?.protocol, metricsOnly.metrics.otlp?.protocol]).toEqual(['http/protobuf', 'http/json']);
    const explicit = resolveConfig({
      env: { ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
      otlpProtocol: 'http/json',
    });
    expect(explicit.tracing.otlp?.protocol).toBe('http/json');
    expect(resolveConfig({ env: { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'HTTP/JSON' } }).tracing.otlp?.protocol).toBe('http/json');
  });

  it('refuses gRPC and anything else, naming the variable or field', () => {
    expect(resolveConfig({ env: { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json' } }).metrics.otlp).toBeUndefined();
    rejects(() => resolveConfig({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } }), 'OTEL_EXPORTER_OTLP_PROTOCOL', 'gRPC is not supported');
    rejects(() => resolveConfig({ env: { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' } }), 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
    rejects(() => resolveConfig({ env: { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/proto' } }), 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL');
    rejects(() => resolveConfig({ env: {}, otlpProtocol: 'grpc' as never }), 'otlpProtocol', '"http/protobuf", "http/json"');
  });
});

describe('OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG', () => {
  it('accepts every sampler the spec names that this package builds, case-insensitively', () => {
    for (const name of [
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ]) {
      expect(resolveConfig({ env: { OTEL_TRACES_SAMPLER: name.toUpperCase() } }).tracing.sampler).toBe(name);
    }
  });

  it('reads the ratio for ratio samplers and defaults it to 1', () => {
    expect(resolveConfig({ env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' } }).tracing.ratio).toBe(0.25);
    expect(resolveConfig({ env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' } }).tracing.ratio).toBe(1);
  });

  it('ignores the argument of samplers that take none', () => {
    expect(resolveConfig({ env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'junk' } }).tracing).toMatchObject({
      sampler: 'always_on',
      ratio: 1,
    });
  });

  it("turns the seed's sampleRate into parent-based ratio sampling, over the environment", () => {
    const resolved = resolveConfig({ env: { OTEL_TRACES_SAMPLER: 'always_off', OTEL_TRACES_SAMPLER_ARG: '0.9' }, sampleRate: 0.1 });
    expect(resolved.tracing).toMatchObject({ sampler: 'parentbased_traceidratio', ratio: 0.1 });
    expect(resolveConfig({ env: {}, sampler: 'traceidratio', sampleRate: 0.5 }).tracing).toMatchObject({
      sampler: 'traceidratio',
      ratio: 0.5,
    });
  });

  it('rejects unknown samplers and ratios outside 0..1', () => {
    rejects(() => resolveConfig({ env: { OTEL_TRACES_SAMPLER: 'jaeger_remote' } }), 'OTEL_TRACES_SAMPLER', '"parentbased_traceidratio"');
    rejects(
      () => resolveConfig({ env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' } }),
      'OTEL_TRACES_SAMPLER_ARG',
      'from 0 to 1',
      '"2"',
    );
    rejects(
      () => resolveConfig({ env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' } }),
      'OTEL_TRACES_SAMPLER_ARG',
    );
    rejects(() => resolveConfig({ env: {}, sampleRate: 2 }), 'sampleRate', 'from 0 to 1');
    rejects(() => resolveConfig({ env: {}, sampleRate: Number.NaN }), 'sampleRate');
    rejects(() => resolveConfig({ env: {}, sampler: 'sometimes' as never }), 'sampler');
  });
});

describe('OTEL_METRICS_EXPORTER and OTEL_METRIC_EXPORT_INTERVAL', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };

  it('pushes over OTLP when the list includes otlp and an endpoint is known', () => {
    expect(resolveConfig({ env: { ...endpoint, OTEL_METRICS_EXPORTER: 'prometheus, otlp' } }).metrics).toMatchObject({
      exporters: ['prometheus', 'otlp'],
      otlp: { url: 'http://c:4318/v1/metrics' },
    });
  });

  it('stays pull-only with prometheus or none', () => {
    expect(resolveConfig({ env: { ...endpoint, OTEL_METRICS_EXPORTER: 'prometheus' } }).metrics.otlp).toBeUndefined();
    expect(resolveConfig({ env: { ...endpoint, OTEL_METRICS_EXPORTER: 'NONE' } }).metrics).toMatchObject({
      exporters: ['none'],
      otlp: undefined,
    });
  });

  it('is overridden by metricsExporters', () => {
    expect(
      resolveConfig({ env: { ...endpoint, OTEL_METRICS_EXPORTER: 'prometheus' }, metricsExporters: ['otlp'] }).metrics.otlp,
    ).toBeDefined();
  });

  it('rejects unknown names, an empty list and none mixed with others', () => {
    rejects(() => resolveConfig({ env: { OTEL_METRICS_EXPORTER: 'otlp,console' } }), 'OTEL_METRICS_EXPORTER', '"prometheus"');
    rejects(() => resolveConfig({ env: { OTEL_METRICS_EXPORTER: ',' } }), 'OTEL_METRICS_EXPORTER');
    rejects(() => resolveConfig({ env: { OTEL_METRICS_EXPORTER: 'none,otlp' } }), 'OTEL_METRICS_EXPORTER', '"none" alone');
    rejects(() => resolveConfig({ env: {}, metricsExporters: ['statsd' as never] }), 'metricsExporters[0]');
  });

  it('reads the push interval, config over environment', () => {
    expect(resolveConfig({ env: { OTEL_METRIC_EXPORT_INTERVAL: '5000' } }).metrics.intervalMs).toBe(5000);
    expect(resolveConfig({ env: { OTEL_METRIC_EXPORT_INTERVAL: '5000' }, metricExportIntervalMs: 100 }).metrics.intervalMs).toBe(100);
    rejects(() => resolveConfig({ env: { OTEL_METRIC_EXPORT_INTERVAL: '-1' } }), 'OTEL_METRIC_EXPORT_INTERVAL');
  });
});

describe('OTEL_TRACES_EXPORTER', () => {
  it('accepts otlp and none and rejects others', () => {
    expect(resolveConfig({ env: { OTEL_TRACES_EXPORTER: 'none' } }).tracing.exporter).toBe('none');
    expect(resolveConfig({ env: { OTEL_TRACES_EXPORTER: 'none' }, tracesExporter: 'otlp' }).tracing.exporter).toBe('otlp');
    rejects(() => resolveConfig({ env: { OTEL_TRACES_EXPORTER: 'zipkin' } }), 'OTEL_TRACES_EXPORTER', '"otlp"');
  });
});

describe('OTEL_SDK_DISABLED', () => {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };

  it('turns tracing and metrics off and exports nothing when "true" in any case', () => {
    const resolved = resolveConfig({ env: { ...env, OTEL_SDK_DISABLED: 'TRUE' } });
    expect(resolved.disabled).toBe(true);
    expect(resolved.tracing).toMatchObject({ enabled: false, otlp: undefined });
    expect(resolved.metrics).toMatchObject({ enabled: false, otlp: undefined });
    expect(resolveConfig({ env: { OTEL_SDK_DISABLED: 'false' } }).disabled).toBe(false);
  });

  it('is overridden by disabled', () => {
    expect(resolveConfig({ env: { ...env, OTEL_SDK_DISABLED: 'true' }, disabled: false }).tracing.otlp).toBeDefined();
    expect(resolveConfig({ env, disabled: true }).disabled).toBe(true);
  });

  it('rejects values other than true and false', () => {
    rejects(() => resolveConfig({ env: { OTEL_SDK_DISABLED: 'yes' } }), 'OTEL_SDK_DISABLED', '"true" or "false"', '"yes"');
    rejects(() => resolveConfig({ env: {}, disabled: 'true' as never }), 'disabled');
  });
});

describe('OTEL_LOG_LEVEL', () => {
  it('maps the spec levels onto pino levels', () => {
    const cases: Record<string, string> = {
      none: 'silent',
      ERROR: 'error',
      warn: 'warn',
      info: 'info',
      debug: 'debug',
      verbose: 'trace',
      all: 'trace',
    };
    for (const [value, level] of Object.entries(cases)) {
      expect(resolveConfig({ env: { OTEL_LOG_LEVEL: value } }).logging.level).toBe(level);
    }
  });

  it('is overridden by logLevel and silenced by enableLogging false', () => {
    expect(resolveConfig({ env: { OTEL_LOG_LEVEL: 'debug' }, logLevel: 'warn' }).logging.level).toBe('warn');
    expect(resolveConfig({ env: {}, enableLogging: false }).logging).toEqual({ enabled: false, level: 'silent' });
  });

  it('rejects unknown levels', () => {
    rejects(() => resolveConfig({ env: { OTEL_LOG_LEVEL: 'loud' } }), 'OTEL_LOG_LEVEL', '"verbose"');
    rejects(() => resolveConfig({ env: { OTEL_LOG_LEVEL: 'constructor' } }), 'OTEL_LOG_LEVEL', '"verbose"');
    rejects(() => resolveConfig({ env: {}, logLevel: 'loud' as never }), 'logLevel', '"trace"');
  });
});

describe('other programmatic fields', () => {
  it('validates registerGlobals, the enable switches and shutdownTimeoutMs', () => {
    expect(resolveConfig({ env: {}, registerGlobals: false, shutdownTimeoutMs: 3000 })).toMatchObject({
      registerGlobals: false,
      shutdownTimeoutMs: 3000,
    });
    rejects(() => resolveConfig({ env: {}, shutdownTimeoutMs: 0 }), 'shutdownTimeoutMs');
    rejects(() => resolveConfig({ env: {}, enableTracing: 'no' as never }), 'enableTracing');
  });
});
