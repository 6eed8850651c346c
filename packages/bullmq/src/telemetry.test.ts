// BullMQ's Telemetry and Meter on OpenTelemetry, with a real SDK: contexts round-trip through the
// job metadata, a malformed carrier is reported and never throws, BullMQ's millisecond job duration
// is recorded in seconds, and its push-style queue gauge is left to observe(queue).
import { PrometheusExporter } from '@ogf/prom-export';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OgfError } from './errors.js';
import { createAttributeSets, interned } from './job-attributes.js';
import { createJobMeter } from './job-meter.js';
import { createTelemetry } from './telemetry.js';

beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
afterAll(() => propagation.disable());

function setup(): { telemetry: ReturnType<typeof createTelemetry>; spans: InMemorySpanExporter; errors: OgfError[] } {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const errors: OgfError[] = [];
  const telemetry = createTelemetry({
    tracerProvider,
    meter: undefined,
    scopeName: '@ogf/bullmq',
    scopeVersion: undefined,
    report: (e) => errors.push(e),
  });
  return { telemetry, spans, errors };
}

describe('telemetry', () => {
  it('carries a span context through getMetadata and fromMetadata, as BullMQ stores it in a job', () => {
    const { telemetry, spans } = setup();
    const span = telemetry.tracer.startSpan('add q.job', { kind: 3 });
    const metadata = telemetry.contextManager.getMetadata(span.setSpanOnContext(context.active()));
    span.end();
    expect(JSON.parse(metadata)).toHaveProperty('traceparent');
    const restored = telemetry.contextManager.fromMetadata(context.active(), metadata);
    const child = telemetry.tracer.startSpan('process q', { kind: 4 }, restored);
    child.end();
    const [add, process] = spans.getFinishedSpans();
    expect(process!.spanContext().traceId).toBe(add!.spanContext().traceId);
    expect(process!.parentSpanContext?.spanId).toBe(add!.spanContext().spanId);
    expect(add!.kind).toBe(3);
  });

  it.each([
    ['not JSON', '{oops', /is not JSON/],
    ['not an object', '42', /is not an object/],
    ['an invalid traceparent', JSON.stringify({ traceparent: 'x' }), /invalid traceparent/],
  ])('reports a carrier that is %s and keeps the active context, never throwing', (_, metadata, message) => {
    const { telemetry, errors } = setup();
    const active = context.active();
    expect(telemetry.contextManager.fromMetadata(active, metadata)).toBe(active);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('ERR_OGF_BULLMQ_CARRIER');
    expect(errors[0]!.message).toMatch(message);
  });

  it('marks a span with a recorded exception as an error', () => {
    const { telemetry, spans } = setup();
    const span = telemetry.tracer.startSpan('process q');
    span.recordException({ name: 'Error', message: 'boom' });
    span.setAttribute('skipped', undefined as never);
    span.end();
    const [finished] = spans.getFinishedSpans();
    expect(finished!.status).toEqual({ code: 2, message: 'boom' });
    expect(finished!.events[0]?.name).toBe('exception');
    expect(trace.getSpan(context.active())).toBeUndefined();
  });
});

describe('job meter', () => {
  it("records BullMQ's millisecond job duration in seconds and its counters, and drops its push-style queue gauge", async () => {
    const exporter = new PrometheusExporter();
    const provider = new MeterProvider({ readers: [exporter] });
    const meter = createJobMeter(provider.getMeter('@ogf/bullmq'));
    const attributes = { 'bullmq.queue.name': 'q', 'bullmq.job.name': 'j', 'bullmq.job.state': 'completed' };
    meter.createCounter('bullmq.jobs.completed', { unit: '1' }).add(1, attributes);
    meter.createCounter('bullmq.jobs.completed', { unit: '1' }).add(1, attributes);
    meter.createHistogram('bullmq.job.duration', { unit: 'ms' }).record(1500, attributes);
    meter.createGauge('bullmq.queue.jobs', { unit: '{jobs}' }).record(7, { 'bullmq.queue.name': 'q' });
    const { body: text } = await exporter.render();
    expect(text).toMatch(/^bullmq_jobs_completed_total\{[^}]*bullmq_queue_name="q"[^}]*\} 2$/m);
    expect(text).toMatch(/^bullmq_job_duration_seconds_sum\{[^}]*\} 1\.5$/m);
    expect(text).toMatch(/^bullmq_job_duration_seconds_bucket\{[^}]*le="2\.5"[^}]*\} 1$/m);
    expect(text).not.toContain('bullmq_queue_jobs');
    await provider.shutdown();
  });

  it('sums each counter per attribute set, whatever the key order of the objects BullMQ builds, and drops what the SDK drops', async () => {
    const exporter = new PrometheusExporter();
    const provider = new MeterProvider({ readers: [exporter] });
    const counter = createJobMeter(provider.getMeter('@ogf/bullmq')).createCounter('bullmq.jobs.failed', { unit: '1' });
    counter.add(1, { 'bullmq.queue.name': 'q', 'bullmq.job.name': 'j', 'bullmq.job.state': 'failed' });
    counter.add(2, { 'bullmq.job.state': 'failed', 'bullmq.job.name': 'j', 'bullmq.queue.name': 'q' });
    counter.add(1, { 'bullmq.queue.name': 'q', 'bullmq.job.name': 'k', 'bullmq.job.state': 'failed', unset: undefined });
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      counter.add(bad, { 'bullmq.queue.name': 'q', 'bullmq.job.name': 'j', 'bullmq.job.state': 'failed' });
    const { body: text } = await exporter.render();
    expect(text).toMatch(/^bullmq_jobs_failed_total\{[^}]*bullmq_job_name="j"[^}]*\} 3$/m);
    expect(text).toMatch(/^bullmq_jobs_failed_total\{[^}]*bullmq_job_name="k"[^}]*\} 1$/m);
    expect(text.match(/^bullmq_jobs_failed_total\{/gm)).toHaveLength(2);
    await provider.shutdown();
  });

  it('counts attribute sets past the cardinality limit in the overflow series, as the SDK does', async () => {
    const exporter = new PrometheusExporter();
    const provider = new MeterProvider({ readers: [exporter] });
    const counter = createJobMeter(provider.getMeter('@ogf/bullmq')).createCounter('bullmq.jobs.completed', { unit: '1' });
    for (let i = 0; i < 2010; i += 1) counter.add(1, { 'bullmq.queue.name': 'q', 'bullmq.job.name': `j${i}` });
    const { body: text } = await exporter.render();
    expect(text).toMatch(/^bullmq_jobs_completed_total\{[^}]*otel_metric_overflow="true"[^}]*\} 11$/m);
    expect(text).toMatch(/^bullmq_jobs_completed_total\{[^}]*bullmq_job_name="j1998"[^}]*\} 1$/m);
    expect(text).not.toMatch(/bullmq_job_name="j1999"/);
    await provider.shutdown();
  });
});

describe('job meter cardinality', () => {
  it('keeps the cardinality limit per instrument, as the SDK does', async () => {
    const exporter = new PrometheusExporter();
    const provider = new MeterProvider({ readers: [exporter] });
    const meter = createJobMeter(provider.getMeter('@ogf/bullmq'));
    for (const state of ['completed', 'failed']) {
      const counter = meter.createCounter(`bullmq.jobs.${state}`, { unit: '1' });
      for (let i = 0; i < 1500; i += 1) counter.add(1, { 'bullmq.queue.name': 'q', 'bullmq.job.name': `j${i}`, 'bullmq.job.state': state });
    }
    const { body: text } = await exporter.render();
    expect(text).not.toContain('otel_metric_overflow');
    expect(text.match(/^bullmq_jobs_failed_total\{/gm)).toHaveLength(1500);
    await provider.shutdown();
  });
});

describe('attribute sets', () => {
  it('gives one frozen object per set: same names and values in any order, unset values left out', () => {
    const sets = createAttributeSets();
    const a = interned(sets, { queue: 'q', job: 'j', n: 1 });
    expect(interned(sets, { n: 1, job: 'j', queue: 'q', gone: undefined })).toBe(a);
    expect(a).toEqual({ queue: 'q', job: 'j', n: 1 });
    expect(Object.isFrozen(a)).toBe(true);
    expect(interned(sets, { queue: 'q', job: 'j', n: '1' })).not.toBe(a);
    expect(interned(sets, { queue: 'q', job: 'j1', n: 1 })).not.toBe(a);
    expect(interned(sets, { queue: 'qj', job: '', n: 1 })).not.toBe(interned(sets, { queue: 'q', job: 'j', n: 1 }));
  });
});
