// The OTel SDK objects built from a ResolvedConfig: a MeterProvider whose readers are the
// Prometheus pull reader (always) and an OTLP push reader (when configured), and a TracerProvider
// with parent-based sampling and a batching OTLP processor (when configured). OTLP bodies are
// protobuf unless `http/json` is configured. With the SDK
// disabled, both are no-ops and nothing is exported.
import { createNoopMeter, ProxyTracerProvider } from '@opentelemetry/api';
import type { MeterProvider as ApiMeterProvider, TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ResolvedConfig } from './config.js';
import type { DeliveryTracker } from './delivery.js';
import { requestIdSpanProcessor } from './requests/span-processor.js';

/** The providers and the pieces shutdown needs. */
export interface Providers {
  /** What @ogf/metrics records into (a no-op when metrics are off). */
  meterProvider: ApiMeterProvider;
  /** What @ogf/tracing starts spans from (a no-op when tracing is off). */
  tracerProvider: ApiTracerProvider;
  /** The SDK MeterProvider holding the Prometheus reader (present even when metrics are off, so `/metrics` answers). */
  sdkMeterProvider: MeterProvider;
  sdkTracerProvider: BasicTracerProvider | undefined;
}

/** Builds the sampler the config names. */
export function buildSampler(name: ResolvedConfig['tracing']['sampler'], ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

function buildResource(config: ResolvedConfig): Resource {
  return defaultResource().merge(resourceFromAttributes(config.resourceAttributes));
}

/** Builds the providers; `pullReader` is the Prometheus exporter every build includes. */
export function buildProviders(config: ResolvedConfig, pullReader: MetricReader, delivery: DeliveryTracker): Providers {
  const resource = buildResource(config);
  const readers: MetricReader[] = [pullReader];
  const push = config.metrics.otlp;
  if (push !== undefined) {
    const settings = { url: push.url, headers: push.headers, timeoutMillis: push.timeoutMs };
    const exporter = push.protocol === 'http/json' ? new JsonMetricExporter(settings) : new ProtobufMetricExporter(settings);
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: delivery.wrapMetricExporter(exporter),
        exportIntervalMillis: config.metrics.intervalMs,
        exportTimeoutMillis: Math.min(push.timeoutMs, config.metrics.intervalMs),
      }),
    );
  }
  const sdkMeterProvider = new MeterProvider({ resource, readers });
  const meterProvider: ApiMeterProvider = config.metrics.enabled ? sdkMeterProvider : { getMeter: () => createNoopMeter() };

  if (!config.tracing.enabled) {
    return { meterProvider, tracerProvider: new ProxyTracerProvider(), sdkMeterProvider, sdkTracerProvider: undefined };
  }
  const spanProcessors: SpanProcessor[] = [requestIdSpanProcessor()];
  const target = config.tracing.otlp;
  if (target !== undefined) {
    const settings = { url: target.url, headers: target.headers, timeoutMillis: target.timeoutMs };
    const exporter = target.protocol === 'http/json' ? new JsonTraceExporter(settings) : new ProtobufTraceExporter(settings);
    spanProcessors.push(delivery.spanCounter(), new BatchSpanProcessor(delivery.wrapSpanExporter(exporter)));
  }
  const sdkTracerProvider = new BasicTracerProvider({
    resource,
    sampler: buildSampler(config.tracing.sampler, config.tracing.ratio),
    spanProcessors,
  });
  return { meterProvider, tracerProvider: sdkTracerProvider, sdkMeterProvider, sdkTracerProvider };
}
