// The shared OTLP receiver (tools/testkit/src/otlp-receiver.ts) decodes what the real SDK
// serialisers produce: the same spans, metric points and log records sent as JSON, protobuf and
// gzipped protobuf must decode to identical records with the values that were recorded.
import { gzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { startOtlpReceiver, type OtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingProvider } from './support.ts';

class CollectingReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

async function post(url: string, body: Uint8Array, contentType: string, gzip = false): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: new Uint8Array(gzip ? gzipSync(body) : body),
  });
}

/** Sends one payload in all three encodings and returns what each decoded to. */
async function decodeAllWays<T>(url: string, json: Uint8Array, proto: Uint8Array, take: () => T[]): Promise<T[][]> {
  const results: T[][] = [];
  for (const [body, type, gzip] of [
    [json, 'application/json', false],
    [proto, 'application/x-protobuf', false],
    [proto, 'application/x-protobuf', true],
  ] as const) {
    receiver.reset();
    const response = await post(url, body, type, gzip);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    results.push([...take()]);
  }
  return results;
}

describe('startOtlpReceiver', () => {
  it('decodes spans identically from JSON, protobuf and gzipped protobuf', async () => {
    const { provider, finished } = recordingProvider();
    const tracer = provider.getTracer('scope-a', '0.1.0');
    const linked = tracer.startSpan('other');
    linked.end();
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan(
      'child',
      {
        kind: SpanKind.SERVER,
        attributes: { s: 'x', i: 42, d: 1.5, b: true, list: ['a', 'b'], nums: [1, 2] },
        links: [{ context: linked.spanContext(), attributes: { why: 'because' } }],
      },
      trace.setSpan(context.active(), parent),
    );
    child.addEvent('happened', { n: -3 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'broken' });
    child.end();
    parent.end();
    const spans = finished();

    const [fromJson, fromProto, fromGzip] = await decodeAllWays(
      receiver.tracesUrl,
      JsonTraceSerializer.serializeRequest(spans)!,
      ProtobufTraceSerializer.serializeRequest(spans)!,
      () => receiver.spans,
    );
    expect(fromProto).toEqual(fromJson);
    expect(fromGzip).toEqual(fromJson);
    const decodedChild = fromProto!.find((span) => span.name === 'child')!;
    expect(decodedChild).toMatchObject({
      traceId: child.spanContext().traceId,
      spanId: child.spanContext().spanId,
      parentSpanId: parent.spanContext().spanId,
      kind: 'server',
      attributes: { s: 'x', i: 42, d: 1.5, b: true, list: ['a', 'b'], nums: [1, 2] },
      events: [{ name: 'happened', attributes: { n: -3 } }],
      links: [{ traceId: linked.spanContext().traceId, spanId: linked.spanContext().spanId, attributes: { why: 'because' } }],
      status: { code: 'error', message: 'broken' },
      scope: { name: 'scope-a', version: '0.1.0' },
    });
    expect(BigInt(decodedChild.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(decodedChild.startTimeUnixNano));
    expect(fromProto!.find((span) => span.name === 'parent')?.parentSpanId).toBeUndefined();
    expect(decodedChild.resource['service.name']).toEqual(expect.any(String));
  });

  it('decodes metric points identically from JSON, protobuf and gzipped protobuf, and from the real metric exporter', async () => {
    const reader = new CollectingReader();
    const meterProvider = new MeterProvider({
      readers: [reader],
      views: [
        { instrumentName: 'latency', aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [1, 5] } } },
      ],
    });
    const meter = meterProvider.getMeter('meter-a');
    meter.createCounter('jobs').add(5, { route: 'a' });
    meter.createUpDownCounter('queue').add(-2);
    meter.createGauge('temperature', { unit: 'Cel' }).record(7.5);
    const latency = meter.createHistogram('latency', { unit: 's' });
    latency.record(0.2);
    latency.record(3);
    const { resourceMetrics } = await reader.collect();

    const [fromJson, fromProto, fromGzip] = await decodeAllWays(
      receiver.metricsUrl,
      JsonMetricsSerializer.serializeRequest(resourceMetrics)!,
      ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!,
      () => receiver.metrics,
    );
    expect(fromProto).toEqual(fromJson);
    expect(fromGzip).toEqual(fromJson);
    const byName = new Map(fromProto!.map((point) => [point.name, point]));
    expect(byName.get('jobs')).toMatchObject({
      type: 'sum',
      monotonic: true,
      temporality: 'cumulative',
      value: 5,
      attributes: { route: 'a' },
    });
    expect(byName.get('queue')).toMatchObject({ type: 'sum', monotonic: false, value: -2 });
    expect(byName.get('temperature')).toMatchObject({ type: 'gauge', unit: 'Cel', value: 7.5 });
    expect(byName.get('latency')).toMatchObject({
      type: 'histogram',
      unit: 's',
      count: 2,
      sum: 3.2,
      min: 0.2,
      max: 3,
      bucketCounts: [1, 1, 0],
      explicitBounds: [1, 5],
    });

    receiver.reset();
    const exporter = new OTLPMetricExporter({ url: receiver.metricsUrl });
    await new Promise<void>((resolve, reject) =>
      exporter.export(resourceMetrics, (result) => (result.error ? reject(result.error) : resolve())),
    );
    expect(await receiver.waitForMetrics(4)).toEqual(fromJson);
    await exporter.shutdown();
    await meterProvider.shutdown();
  });

  it('decodes log records identically from JSON, protobuf and gzipped protobuf', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const { provider } = recordingProvider();
    const span = provider.getTracer('t').startSpan('s');
    loggerProvider.getLogger('logger-a').emit({
      body: 'batch done',
      severityNumber: 9, // SeverityNumber.INFO
      severityText: 'INFO',
      attributes: { 'batch.id': 'b-1' },
      context: trace.setSpan(context.active(), span),
    });
    await loggerProvider.forceFlush();
    const records = exporter.getFinishedLogRecords();
    expect(records).toHaveLength(1);
    const [fromJson, fromProto, fromGzip] = await decodeAllWays(
      receiver.logsUrl,
      JsonLogsSerializer.serializeRequest(records)!,
      ProtobufLogsSerializer.serializeRequest(records)!,
      () => receiver.logs,
    );
    expect(fromProto).toEqual(fromJson);
    expect(fromGzip).toEqual(fromJson);
    expect(fromProto![0]).toMatchObject({
      body: 'batch done',
      severityNumber: 9,
      severityText: 'INFO',
      attributes: { 'batch.id': 'b-1' },
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      scope: { name: 'logger-a' },
    });
    await loggerProvider.shutdown();
  });

  it('answers 503 when unavailable, holds requests when hanging, and refuses what it cannot read', async () => {
    receiver.reset();
    const empty = new TextEncoder().encode('{}');
    receiver.setMode('unavailable');
    expect((await post(receiver.tracesUrl, empty, 'application/json')).status).toBe(503);
    receiver.setMode('hang');
    await expect(
      fetch(receiver.tracesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: empty,
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow(/abort|timeout/i);
    receiver.setMode('ok');
    expect((await post(`${receiver.url}/v1/unknown`, empty, 'application/json')).status).toBe(404);
    expect((await post(receiver.tracesUrl, empty, 'text/plain')).status).toBe(415);
    expect((await post(receiver.tracesUrl, new Uint8Array([0x0a, 0xff]), 'application/x-protobuf')).status).toBe(400);
    expect(receiver.requests.map((request) => request.status)).toEqual([503, 0, 404, 415, 400]);
    expect(receiver.spans).toEqual([]);
  });

  it('rejects a wait that is not satisfied in time, saying what did arrive', async () => {
    receiver.reset();
    await expect(receiver.waitForSpans(1, 50)).rejects.toThrow(/wanted 1 spans within 50 ms; got 0/);
    await expect(receiver.waitForSpans((spans) => spans.length > 0, 50)).rejects.toThrow(/matching the predicate/);
  });
});
