// Exemplars wired by default: a batch processed through obs.batches inside a real SDK span gives an
// OpenMetrics /metrics whose batch_processing_duration_seconds bucket carries that span's trace id;
// text 0.0.4 carries none; OTEL_METRICS_EXEMPLAR_FILTER and `exemplarFilter` switch it.
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import type { ParsedFamily } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { afterEach, describe, expect, it } from 'vitest';
import { createObservability } from '../src/index.js';
import type { Observability, ObservabilityConfig } from '../src/index.js';

let obs: Observability | undefined;
afterEach(async () => {
  await obs?.shutdown({ timeoutMs: 2_000 });
  obs = undefined;
});

function setup(config: ObservabilityConfig = {}, env: Record<string, string> = {}): Observability {
  obs = createObservability({ serviceName: 'exemplars', logDestination: { write: () => undefined }, env, ...config });
  return obs;
}

/** Processes one batch inside a span of the caller; returns that span's trace id. */
async function processInSpan(o: Observability, id: string): Promise<string> {
  const tracer = o.tracerProvider.getTracer('caller');
  return tracer.startActiveSpan('job', async (span) => {
    const ref = { id, orgId: 'org-1', activityCount: 1 };
    await o.batches.process({ ...ref, workerId: 'w-1' }, (run) =>
      run.activity({ id: 'a-1' }, (act) => act.calculated({ emissionsKg: 1, factor: 1 })),
    );
    span.end();
    return span.spanContext().traceId;
  });
}

async function scrape(o: Observability): Promise<{ om: ParsedFamily[]; text: string }> {
  const text = await (await o.app.request('/metrics', { headers: { Accept: 'text/plain' } })).text();
  assertPromtoolClean(text);
  const response = await o.app.request('/metrics', { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
  expect(response.headers.get('content-type')).toMatch(/openmetrics/);
  return { om: parseOpenMetrics(await response.text()), text };
}

const traceIdsOn = (families: ParsedFamily[], name: string): string[] =>
  (families.find((f) => f.name === name)?.samples ?? [])
    .filter((s) => s.name === `${name}_bucket` && s.exemplar !== null)
    .map((s) => s.exemplar?.labels.trace_id ?? '');

describe('exemplars in createObservability', () => {
  it("are on by default (trace_based): the batch's processing-duration bucket carries the trace id of the span it ran in", async () => {
    const o = setup();
    expect(o.config.metrics.exemplarFilter).toBe('trace_based');
    const traceId = await processInSpan(o, 'b-1');
    const { om, text } = await scrape(o);
    expect(traceIdsOn(om, 'batch_processing_duration_seconds')).toEqual([traceId]);
    expect(traceIdsOn(om, 'activity_duration_seconds')).toEqual([traceId]);
    expect(text).not.toContain('trace_id');
  });

  it('submit, queue wait, lock wait, processing and activity durations each carry the trace of the batch (no caller span needed)', async () => {
    const o = setup();
    const ref = { id: 'b-9', orgId: 'org-1', activityCount: 1 };
    let traceId = '';
    const row = await o.batches.submit(ref, (sub) => {
      traceId = sub.span.span.spanContext().traceId;
      return { carrier: JSON.stringify(sub.carrier), at: new Date() };
    });
    await o.batches.process({ ...ref, workerId: 'w-1', carrier: row.carrier, submittedAt: row.at }, (run) =>
      run.lock('org', () => run.activity({ id: 'a-1' }, (act) => act.calculated({ emissionsKg: 1, factor: 1 }))),
    );
    const { om } = await scrape(o);
    const names = [
      'batch_submit_duration_seconds',
      'queue_wait_duration_seconds',
      'lock_wait_duration_seconds',
      'batch_processing_duration_seconds',
      'activity_duration_seconds',
    ];
    expect(Object.fromEntries(names.map((name) => [name, traceIdsOn(om, name)]))).toEqual(
      Object.fromEntries(names.map((name) => [name, [traceId]])),
    );
  });

  it('OTEL_METRICS_EXEMPLAR_FILTER=always_off writes none; the exemplarFilter option wins over the variable', async () => {
    const off = setup({}, { OTEL_METRICS_EXEMPLAR_FILTER: 'always_off' });
    await processInSpan(off, 'b-1');
    expect((await scrape(off)).om.flatMap((f) => f.samples).filter((s) => s.exemplar !== null)).toEqual([]);
    await off.shutdown();
    const on = setup({ exemplarFilter: 'always_on' }, { OTEL_METRICS_EXEMPLAR_FILTER: 'always_off' });
    expect(on.config.metrics.exemplarFilter).toBe('always_on');
    const traceId = await processInSpan(on, 'b-2');
    expect(traceIdsOn((await scrape(on)).om, 'batch_processing_duration_seconds')).toEqual([traceId]);
  });

  it('/metrics/json names the trace of the slowest recent batch (slowest_recent_batch), and only with exemplars on', async () => {
    const o = setup();
    const tracer = o.tracerProvider.getTracer('caller');
    const run = (id: string, delayMs: number): Promise<string> =>
      tracer.startActiveSpan(id, async (span) => {
        await o.batches.process(
          { id, orgId: 'org-1', activityCount: 0, workerId: 'w-1' },
          () => new Promise((resolve) => setTimeout(resolve, delayMs)),
        );
        span.end();
        return span.spanContext().traceId;
      });
    await run('fast', 0);
    const slow = await run('slow', 200);
    await run('fast-again', 0);
    const json = (await (await o.app.request('/metrics/json')).json()) as Record<string, unknown>;
    expect(json.slowest_recent_batch).toMatchObject({ trace_id: slow, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown });
    const slowest = json.slowest_recent_batch as { duration_seconds: number; at: string };
    // In seconds: the 200 ms batch, not milliseconds. Not `>= 0.2`: a 200 ms timer may fire a
    // fraction of a millisecond early by performance.now(), which failed this once under load.
    expect(slowest.duration_seconds).toBeGreaterThan(0.1);
    expect(slowest.duration_seconds).toBeLessThan(60);
    expect(Date.parse(slowest.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(json).toHaveProperty('batches_completed', 3);
    await o.shutdown();

    const off = setup({ exemplarFilter: 'always_off' });
    await off.batches.process({ id: 'b', orgId: 'org-1', activityCount: 0, workerId: 'w-1' }, () => undefined);
    expect(await (await off.app.request('/metrics/json')).json()).not.toHaveProperty('slowest_recent_batch');
  });

  it('rejects an unknown filter, naming the setting', () => {
    expect(() => createObservability({ env: { OTEL_METRICS_EXEMPLAR_FILTER: 'sometimes' } })).toThrow(
      /OTEL_METRICS_EXEMPLAR_FILTER must be one of "trace_based", "always_on", "always_off", got "sometimes"/,
    );
    expect(() => createObservability({ exemplarFilter: 'all' as never })).toThrow(/exemplarFilter must be one of/);
  });
});
