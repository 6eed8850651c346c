import { promtoolCheckMetrics } from '@ogf/testkit/promtool';
import { startOtlpReceiver, type OtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { diag, metrics as metricsApi, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createObservability, type Observability, type ObservabilityConfig } from './index.js';

interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

function captureLogs(): { lines: LogLine[]; write(line: string): void } {
  const lines: LogLine[] = [];
  return { lines, write: (line) => lines.push(JSON.parse(line) as LogLine) };
}

let receiver: OtlpReceiver;
let obs: Observability | undefined;

beforeEach(async () => {
  receiver = await startOtlpReceiver();
});

afterEach(async () => {
  await obs?.shutdown({ timeoutMs: 2_000 });
  obs = undefined;
  await receiver.close();
});

function setup(config: ObservabilityConfig = {}, env: Record<string, string> = {}) {
  const logs = captureLogs();
  obs = createObservability({
    logDestination: logs,
    env: {
      OTEL_SERVICE_NAME: 'offgridflow',
      OTEL_SERVICE_VERSION: '1.0.0',
      ENVIRONMENT: 'test',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      ...env,
    },
    ...config,
  });
  return { obs, logs };
}

async function recordOneBatch(o: Observability): Promise<void> {
  o.metrics.setWorkerCapacity(4);
  o.metrics.recordBatchSubmission({ activityCount: 2 });
  await o.tracer.withBatchProcessing({ id: 'b-1', orgId: 'org-1', activityCount: 2, workerId: 'w-1' }, async (span) => {
    o.metrics.recordBatchStarted();
    o.recordStateTransition({ batchId: 'b-1', from: 'queued', to: 'processing', workerId: 'w-1', span });
    for (const id of ['a-1', 'a-2']) {
      await o.tracer.withActivityProcessing({ id, batchId: 'b-1' }, async (activity) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        activity.calculationsPerformed({ emissionsKg: 10 });
        o.metrics.recordActivityProcessing({ success: true, durationMs: 5 });
      });
    }
    o.metrics.recordBatchCompletion({ durationMs: 20, emissionsKg: 20 });
    o.recordStateTransition({ batchId: 'b-1', from: 'processing', to: 'completed', workerId: 'w-1', span });
    span.complete({ successCount: 2, errorCount: 0, emissionsKg: 20 });
  });
}

describe('createObservability end to end in one process', () => {
  it('shows a recorded batch on /metrics, /metrics/json and /status', async () => {
    const { obs } = setup();
    await recordOneBatch(obs);

    const metrics = await obs.app.request('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await metrics.text();
    expect(text).toMatch(/^batch_submitted_total(\{[^}]*\})? 1$/m);
    expect(text).toMatch(/^batch_completed_total(\{[^}]*\})? 1$/m);
    expect(text).toMatch(/^emissions_grams_total(\{[^}]*\})? 20000$/m);
    expect(text).toMatch(/^batch_state_transitions_total\{[^}]*from="queued"[^}]*\} 1$/m);
    expect(text).toContain('service_name="offgridflow"');
    expect(promtoolCheckMetrics(text)).toEqual({ exitCode: 0, findings: [] });

    const json = (await (await obs.app.request('/metrics/json')).json()) as Record<string, unknown>;
    expect(json).toMatchObject({ batches_submitted: 1, batches_completed: 1, activities_total: 2, success_rate: 100, total_emissions: 20 });

    const status = await obs.app.request('/status');
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      service_name: 'offgridflow',
      service_version: '1.0.0',
      environment: 'test',
      metrics: { batches_submitted: 1, batches_completed: 1, total_emissions: 20 },
    });
  });

  it('names the process on /status as instance_id from service.instance.id (config or OTEL_RESOURCE_ATTRIBUTES)', async () => {
    const { obs: fromConfig } = setup({ resourceAttributes: { 'service.instance.id': 'worker-2' } });
    expect(await (await fromConfig.app.request('/status')).json()).toMatchObject({ service_name: 'offgridflow', instance_id: 'worker-2' });
    await fromConfig.shutdown({ timeoutMs: 2_000 });
    const { obs: fromEnv } = setup({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=api-1' });
    expect(await (await fromEnv.app.request('/status')).json()).toMatchObject({ instance_id: 'api-1' });
    await fromEnv.shutdown({ timeoutMs: 2_000 });
    const { obs: unnamed } = setup();
    expect(await (await unnamed.app.request('/status')).json()).not.toHaveProperty('instance_id');
  });

  it('delivers the span tree and, with otlp in OTEL_METRICS_EXPORTER, the metric points to an OTLP receiver', async () => {
    const { obs } = setup({}, { OTEL_METRICS_EXPORTER: 'prometheus,otlp' });
    await recordOneBatch(obs);
    await obs.forceFlush();

    const spans = await receiver.waitForSpans(3);
    const batch = spans.find((s) => s.name === 'batch.processing');
    expect(batch?.resource).toMatchObject({
      'service.name': 'offgridflow',
      'service.version': '1.0.0',
      'deployment.environment.name': 'test',
    });
    const activities = spans.filter((s) => s.name === 'activity.processing');
    expect(activities).toHaveLength(2);
    for (const activity of activities) {
      expect(activity.traceId).toBe(batch?.traceId);
      expect(activity.parentSpanId).toBe(batch?.spanId);
    }
    expect(batch?.events.filter((e) => e.name === 'state.transition')).toHaveLength(2);

    const points = await receiver.waitForMetrics((all) => all.some((p) => p.name === 'batch.submitted'));
    const submitted = points.find((p) => p.name === 'batch.submitted');
    expect(submitted).toMatchObject({ value: 1, resource: { 'service.name': 'offgridflow' } });
    expect(points.some((p) => p.name === 'emissions' && p.value === 20_000)).toBe(true);
    expect(obs.delivery().spans).toMatchObject({ ended: 3, exported: 3, failed: 0 });
  });

  it('sends OTLP as protobuf by default and as JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json, the same spans and points either way', async () => {
    const received: Record<string, { types: string[]; spans: string[]; points: number }> = {};
    for (const protocol of ['default', 'http/json', 'http/protobuf']) {
      receiver.reset();
      const { obs: current } = setup(
        {},
        { OTEL_METRICS_EXPORTER: 'otlp', ...(protocol === 'default' ? {} : { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }) },
      );
      await recordOneBatch(current);
      await current.forceFlush();
      const spans = await receiver.waitForSpans(3);
      const points = await receiver.waitForMetrics((all) => all.some((p) => p.name === 'batch.submitted'));
      received[protocol] = {
        types: [...new Set(receiver.requests.map((r) => `${r.path} ${r.contentType} ${r.status}`))].sort(),
        spans: spans.map((s) => s.name).sort(),
        points: points.filter((p) => p.name === 'batch.submitted' && p.value === 1).length,
      };
      await current.shutdown({ timeoutMs: 2_000 });
      obs = undefined;
    }
    const protobuf = ['/v1/metrics application/x-protobuf 200', '/v1/traces application/x-protobuf 200'];
    expect(received.default?.types).toEqual(protobuf);
    expect(received['http/protobuf']?.types).toEqual(protobuf);
    expect(received['http/json']?.types).toEqual(['/v1/metrics application/json 200', '/v1/traces application/json 200']);
    for (const protocol of ['default', 'http/json', 'http/protobuf']) {
      expect(received[protocol]?.spans).toEqual(['activity.processing', 'activity.processing', 'batch.processing']);
      expect(received[protocol]?.points).toBe(1);
    }
  });

  it('pushes no metric points when OTEL_METRICS_EXPORTER is prometheus only, but still exports spans', async () => {
    const { obs } = setup({}, { OTEL_METRICS_EXPORTER: 'prometheus' });
    await recordOneBatch(obs);
    await obs.forceFlush();
    await receiver.waitForSpans(3);
    await obs.shutdown();
    expect(receiver.requests.filter((r) => r.path === '/v1/metrics')).toHaveLength(0);
  });
});

describe('sampling', () => {
  it('follows a sampled remote parent even at sampleRate 0, and records no root spans', async () => {
    const { obs } = setup({ sampleRate: 0 });
    expect(obs.tracer.withBatchSubmission({ id: 'root' }, (span) => span.span.isRecording())).toBe(false);
    const parent = obs.tracer.extractContext({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const child = obs.tracer.withActivityProcessing({ id: 'a-1' }, (span) => span.span.spanContext(), { parent });
    expect(child.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child.traceFlags & 1).toBe(1);
    await obs.forceFlush();
    const spans = await receiver.waitForSpans(1);
    expect(spans.map((s) => [s.name, s.parentSpanId])).toEqual([['activity.processing', 'b7ad6b7169203331']]);
  });

  it('records nothing with OTEL_TRACES_SAMPLER=always_off', () => {
    const { obs } = setup({}, { OTEL_TRACES_SAMPLER: 'always_off' });
    expect(obs.tracer.withBatchProcessing({ id: 'b' }, (span) => span.span.isRecording())).toBe(false);
  });
});

describe('health wiring', () => {
  it('exports each check as health_check_status on /metrics', async () => {
    const { obs } = setup();
    obs.health.register('database', () => ({ status: 'degraded', message: 'slow' }));
    expect((await obs.app.request('/health/ready')).status).toBe(200);
    const text = await (await obs.app.request('/metrics')).text();
    expect(text).toMatch(/^health_check_status\{check="database"[^}]*\} 0\.5$/m);
  });
});

describe('logs', () => {
  it('carry the trace and span ids of the span they are written in, and the service fields', async () => {
    const { obs, logs } = setup();
    let ids: { traceId: string; spanId: string } | undefined;
    await obs.tracer.withBatchProcessing({ id: 'b-9' }, async (span) => {
      ids = span.span.spanContext();
      await new Promise((resolve) => setTimeout(resolve, 1));
      obs.logger.info({ batch_id: 'b-9' }, 'inside the batch');
    });
    obs.logger.info('outside any span');

    const inside = logs.lines.find((l) => l.msg === 'inside the batch');
    expect(inside).toMatchObject({
      trace_id: ids?.traceId,
      span_id: ids?.spanId,
      trace_flags: '01',
      batch_id: 'b-9',
      service_name: 'offgridflow',
      service_version: '1.0.0',
      environment: 'test',
      level: 30,
    });
    const outside = logs.lines.find((l) => l.msg === 'outside any span');
    expect(outside).toBeDefined();
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('write one audit record per state transition, even when the level is above info', async () => {
    const { obs, logs } = setup({ logLevel: 'warn' });
    const at = new Date('2025-12-04T10:00:00.000Z');
    for (const [from, to] of [
      ['pending', 'queued'],
      ['queued', 'processing'],
      ['processing', 'failed'],
    ] as const) {
      obs.recordStateTransition({ batchId: 'b-7', from, to, workerId: 'w-2', at, ...(to === 'failed' ? { reason: 'timeout' } : {}) });
    }
    obs.logger.info('an ordinary info line the level filters out');

    const audit = logs.lines.filter((l) => l.audit === 'batch.state_transition');
    expect(audit.map((l) => [l.from, l.to])).toEqual([
      ['pending', 'queued'],
      ['queued', 'processing'],
      ['processing', 'failed'],
    ]);
    for (const line of audit) expect(line).toMatchObject({ batch_id: 'b-7', worker_id: 'w-2', at: '2025-12-04T10:00:00.000Z' });
    expect(audit[2]).toMatchObject({ reason: 'timeout' });
    expect(logs.lines.some((l) => l.msg === 'an ordinary info line the level filters out')).toBe(false);
    const text = await (await obs.app.request('/metrics')).text();
    expect(text).toMatch(/^batch_state_transitions_total\{[^}]*from="processing"[^}]*to="failed"[^}]*\} 1$/m);
  });

  it('follow OTEL_LOG_LEVEL', () => {
    const { obs, logs } = setup({}, { OTEL_LOG_LEVEL: 'debug' });
    obs.logger.debug('a debug line');
    expect(logs.lines.some((l) => l.msg === 'a debug line' && l.level === 20)).toBe(true);
  });
});

describe('OTEL_SDK_DISABLED=true', () => {
  it('keeps every API call working while nothing is recorded or exported', async () => {
    const { obs, logs } = setup({}, { OTEL_SDK_DISABLED: 'true', OTEL_METRICS_EXPORTER: 'otlp' });
    expect(obs.metrics.enabled).toBe(false);
    await recordOneBatch(obs);
    const inSpan = obs.tracer.withBatchProcessing({ id: 'b-2' }, () => {
      obs.logger.info('in a no-op span');
      return 42;
    });
    expect(inSpan).toBe(42);
    expect(logs.lines.find((l) => l.msg === 'in a no-op span')).not.toHaveProperty('trace_id');

    const metrics = await obs.app.request('/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).not.toContain('batch_submitted_total');
    expect((await obs.app.request('/health/live')).status).toBe(200);

    await obs.forceFlush();
    const report = await obs.shutdown();
    expect(report.ok).toBe(true);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('OpenTelemetry globals', () => {
  it('are registered by default and released by shutdown', async () => {
    const { obs, logs } = setup();
    diag.warn('an exporter complaint');
    expect(logs.lines.find((l) => l.msg === 'an exporter complaint')).toMatchObject({ source: 'otel', level: 40 });
    const span = trace.getTracer('anyone').startSpan('global');
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(metricsApi.getMeterProvider()).toBe(obs.meterProvider);
    await obs.shutdown();
    expect(trace.getTracer('anyone').startSpan('after').isRecording()).toBe(false);
  });

  it('are not taken over by a second instance, which warns and still records with its own providers', async () => {
    const { obs: first } = setup();
    const logs = captureLogs();
    const second = createObservability({ env: {}, logDestination: logs });
    try {
      expect(logs.lines.find((l) => l.event === 'otel.globals')).toMatchObject({
        already_registered: ['context manager', 'tracer provider', 'meter provider', 'propagator'],
      });
      expect(metricsApi.getMeterProvider()).toBe(first.meterProvider);
      expect(second.tracer.withBatchSubmission({ id: 'b' }, (span) => span.span.isRecording())).toBe(true);
    } finally {
      await second.shutdown();
    }
    expect(metricsApi.getMeterProvider()).toBe(first.meterProvider);
  });

  it('are left alone with registerGlobals false, while obs.tracer still records', () => {
    const { obs } = setup({ registerGlobals: false });
    expect(trace.getTracer('anyone').startSpan('global').isRecording()).toBe(false);
    const recording = obs.tracer.withBatchSubmission({ id: 'b-3' }, (span) => span.span.isRecording());
    expect(recording).toBe(true);
  });
});

describe('shutdown', () => {
  it('fails readiness at once, keeps liveness, waits for drain hooks, then flushes spans', async () => {
    const { obs } = setup();
    obs.health.markStarted();
    expect((await obs.app.request('/health/ready')).status).toBe(200);
    let release!: () => void;
    const inFlight = new Promise<void>((resolve) => (release = resolve));
    obs.addDrainHook('batches', () => inFlight);
    obs.tracer.startBatchProcessingSpan({ id: 'b-4' }).complete({ successCount: 1 });

    const done = obs.shutdown();
    expect((await obs.app.request('/health/ready')).status).toBe(503);
    expect((await obs.app.request('/health/live')).status).toBe(200);
    expect(obs.pending().drains).toEqual(['batches']);
    expect(receiver.spans).toHaveLength(0);
    release();
    const report = await done;
    expect(report).toMatchObject({ ok: true, timedOut: false, pending: [], undeliveredSpans: 0, undeliveredMetricPoints: 0 });
    expect(report.drains).toEqual([expect.objectContaining({ name: 'batches', outcome: 'done' })]);
    expect(receiver.spans.map((s) => s.name)).toEqual(['batch.processing']);
    expect(await obs.shutdown()).toBe(report);
  });

  it('aborts a drain hook that outlives its deadline and reports it pending', async () => {
    const { obs } = setup();
    let aborted = false;
    obs.addDrainHook('stuck', (signal) => new Promise<void>(() => signal.addEventListener('abort', () => (aborted = true))), {
      timeoutMs: 50,
    });
    obs.addDrainHook('failing', () => Promise.reject(new Error('boom')));
    const report = await obs.shutdown();
    expect(aborted).toBe(true);
    expect(report).toMatchObject({ ok: false, timedOut: true, pending: ['stuck'] });
    expect(report.drains).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'stuck', outcome: 'timeout' }),
        expect.objectContaining({ name: 'failing', outcome: 'failed', error: 'boom' }),
      ]),
    );
  });

  it('returns at its deadline when the collector accepts requests but never answers', async () => {
    const { obs } = setup({ shutdownTimeoutMs: 1_000 });
    receiver.setMode('hang');
    await recordOneBatch(obs);
    const report = await obs.shutdown();
    expect(report).toMatchObject({ ok: false, timedOut: true, undeliveredSpans: 3 });
    expect(report.errors.join('\n')).toMatch(/did not finish within the shutdown deadline/);
  });

  it('finishes within its deadline and counts what it could not deliver when the collector is down', async () => {
    const { obs, logs } = setup({ shutdownTimeoutMs: 1_500, metricsExporters: ['otlp'] });
    await recordOneBatch(obs);
    await receiver.close();
    const report = await obs.shutdown();
    expect(report.undeliveredSpans).toBe(3);
    expect(report.undeliveredMetricPoints).toBeGreaterThan(0);
    expect(report.ok).toBe(false);
    const end = logs.lines.find((l) => l.event === 'shutdown.end');
    expect(end).toMatchObject({ undeliveredSpans: 3 });
    receiver = await startOtlpReceiver();
  });
});

describe('configuration errors', () => {
  it('fail createObservability at start with an OgfError naming the variable', () => {
    expect(() => createObservability({ env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' } })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "2"/,
    );
    expect(() => createObservability({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' } })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('pass an option error of a composed package through, and leave no global registered', () => {
    expect(() =>
      createObservability({
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
        metricExportIntervalMs: 50,
        statusOptions: { basePath: 'no-slash' },
      }),
    ).toThrow(/basePath/);
    expect(trace.getTracer('anyone').startSpan('after a failed start').isRecording()).toBe(false);
  });
});
