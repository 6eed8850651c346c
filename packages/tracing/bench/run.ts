// `pnpm bench` for @ogf/tracing: one batch of 100 activities (102 spans, ~310 events) traced with
// BatchTracer against the same spans made with raw @opentelemetry/api calls, measured in one run
// with the two interleaved. Writes bench/results.md.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ExportResult } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { comparePaired } from '@ogf/testkit/paired';
import { createBatchTracer, type BatchTracer } from '../src/index.ts';

/** Paired rounds per comparison (see @ogf/testkit/paired). */
const ROUNDS = 151;
const ACTIVITIES = 100;

/** Accepts and forgets: the bench measures span creation, not export. */
class DiscardExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.exported += spans.length;
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Stands in for the activity's data lookup: one real await, so the span outlives the callback's first tick. */
const io_ = (): Promise<void> => Promise.resolve();

async function withBatchTracer(tracer: BatchTracer, n: number, io = false): Promise<void> {
  const batch = { id: `b-${n}`, orgId: 'org-7', activityCount: ACTIVITIES, workerId: 'w-1' };
  await tracer.withBatchProcessing(batch, async (processing) => {
    processing.workerBusy('w-1');
    processing.stateTransition('queued', 'processing');
    let total = 0;
    await tracer.withLockAcquisition({ name: 'org', orgId: 'org-7', batchId: batch.id }, async (lock) => {
      lock.waiting();
      lock.acquired(1);
      for (let i = 0; i < ACTIVITIES; i++) {
        total += await tracer.withActivityProcessing({ id: `a-${i}`, batchId: batch.id }, async (span) => {
          if (io) await io_();
          span.dataRetrieved();
          const kg = i * 0.5;
          span.calculationsPerformed({ emissionsKg: kg, factor: 0.5 });
          span.resultsStored();
          span.complete({ durationMs: 1, emissionsKg: kg });
          return kg;
        });
      }
    });
    processing.stateTransition('processing', 'completed');
    processing.complete({ successCount: ACTIVITIES, errorCount: 0, durationMs: 10, emissionsKg: total });
  });
}

/** The same tree with the `start…Span` handles: the caller ends each span itself, no promise is watched. */
async function withHandles(tracer: BatchTracer, n: number): Promise<void> {
  const batch = { id: `b-${n}`, orgId: 'org-7', activityCount: ACTIVITIES, workerId: 'w-1' };
  const processing = tracer.startBatchProcessingSpan(batch);
  processing.workerBusy('w-1');
  processing.stateTransition('queued', 'processing');
  const lock = tracer.startLockAcquisitionSpan({ name: 'org', orgId: 'org-7', batchId: batch.id }, { parent: processing });
  lock.waiting();
  lock.acquired(1);
  let total = 0;
  for (let i = 0; i < ACTIVITIES; i++) {
    const span = tracer.startActivityProcessingSpan({ id: `a-${i}`, batchId: batch.id }, { parent: processing });
    try {
      await io_();
      span.dataRetrieved();
      const kg = i * 0.5;
      span.calculationsPerformed({ emissionsKg: kg, factor: 0.5 });
      span.resultsStored();
      span.complete({ durationMs: 1, emissionsKg: kg });
      total += kg;
    } catch (error) {
      span.fail(error);
      throw error;
    }
  }
  lock.released();
  processing.stateTransition('processing', 'completed');
  processing.complete({ successCount: ACTIVITIES, errorCount: 0, durationMs: 10, emissionsKg: total });
}

/** The same spans, events and attributes with the OTel API as a careful user would write them. */
async function withRawApi(tracer: Tracer, n: number, io = false): Promise<void> {
  const batchId = `b-${n}`;
  await tracer.startActiveSpan(
    'batch.processing',
    {
      kind: SpanKind.INTERNAL,
      attributes: { 'batch.id': batchId, 'org.id': 'org-7', 'batch.activity_count': ACTIVITIES, 'worker.id': 'w-1' },
    },
    async (batchSpan) => {
      try {
        batchSpan.addEvent('worker.busy', { 'worker.id': 'w-1' });
        batchSpan.addEvent('state.transition', { 'batch.state.from': 'queued', 'batch.state.to': 'processing' });
        const batchContext = context.active();
        let total = 0;
        await tracer.startActiveSpan(
          'lock.acquisition',
          { kind: SpanKind.INTERNAL, attributes: { 'lock.name': 'org', 'org.id': 'org-7', 'batch.id': batchId } },
          async (lockSpan) => {
            try {
              lockSpan.addEvent('lock.wait');
              lockSpan.setAttribute('lock.wait_s', 0.001);
              lockSpan.addEvent('lock.acquired', { 'lock.wait_s': 0.001 });
              for (let i = 0; i < ACTIVITIES; i++) {
                total += await tracer.startActiveSpan(
                  'activity.processing',
                  { kind: SpanKind.INTERNAL, attributes: { 'activity.id': `a-${i}`, 'batch.id': batchId } },
                  batchContext,
                  async (span) => {
                    try {
                      if (io) await io_();
                      span.addEvent('data.retrieved');
                      const kg = i * 0.5;
                      span.addEvent('calculations.performed', { 'emissions.kg_co2e': kg, 'emission.factor': 0.5 });
                      span.addEvent('results.stored');
                      span.setAttributes({ 'activity.duration_s': 0.001, 'emissions.kg_co2e': kg });
                      return kg;
                    } catch (error) {
                      span.recordException(error as Error);
                      span.setStatus({ code: SpanStatusCode.ERROR });
                      throw error;
                    } finally {
                      span.end();
                    }
                  },
                );
              }
              lockSpan.addEvent('lock.released');
            } finally {
              lockSpan.end();
            }
          },
        );
        batchSpan.addEvent('state.transition', { 'batch.state.from': 'processing', 'batch.state.to': 'completed' });
        const outcome = { 'batch.duration_s': 0.01, 'emissions.kg_co2e': total, 'batch.success_count': ACTIVITIES, 'batch.error_count': 0 };
        batchSpan.setAttributes(outcome);
        batchSpan.addEvent('batch.completed', outcome);
      } finally {
        batchSpan.end();
      }
    },
  );
}

function sdk(sampler?: Sampler): { provider: BasicTracerProvider; exporter: DiscardExporter } {
  const exporter = new DiscardExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 100_000, maxExportBatchSize: 512 })],
    ...(sampler ? { sampler } : {}),
  });
  return { provider, exporter };
}

const rows: { scenario: string; ours: number; raw: number; ratio: number; target: number; baseline: string }[] = [];

// 1. An SDK registered (global provider, AsyncLocalStorage context manager), everything sampled.
{
  const { provider, exporter } = sdk();
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const ours = createBatchTracer();
  const raw = trace.getTracer('raw');
  const result = await comparePaired(
    (n) => withBatchTracer(ours, n),
    (n) => withRawApi(raw, n),
    2,
    ROUNDS,
  );
  rows.push({
    scenario: 'SDK registered, all sampled',
    ours: result.a,
    raw: result.b,
    ratio: result.ratio,
    target: 1.15,
    baseline: 'raw API calls, same SDK',
  });
  const withIo = await comparePaired(
    (n) => withBatchTracer(ours, n, true),
    (n) => withRawApi(raw, n, true),
    2,
    ROUNDS,
  );
  rows.push({
    scenario: 'SDK registered, all sampled, one await per activity',
    ours: withIo.a,
    raw: withIo.b,
    ratio: withIo.ratio,
    target: 1.15,
    baseline: 'raw API calls, same SDK',
  });
  const handles = await comparePaired(
    (n) => withHandles(ours, n),
    (n) => withRawApi(raw, n, true),
    2,
    ROUNDS,
  );
  rows.push({
    scenario: 'SDK registered, all sampled, one await per activity, `start…Span` handles',
    ours: handles.a,
    raw: handles.b,
    ratio: handles.ratio,
    target: 1.15,
    baseline: 'raw API calls, same SDK',
  });
  await provider.forceFlush();
  if (exporter.exported === 0) throw new Error('bench: nothing was exported; the SDK case measured nothing');
  trace.disable();
  context.disable();
}

// 2. No SDK at all: the API's no-op tracer and no context manager.
{
  const ours = createBatchTracer();
  const raw = trace.getTracer('raw');
  const result = await comparePaired(
    (n) => withBatchTracer(ours, n),
    (n) => withRawApi(raw, n),
    20,
    ROUNDS,
  );
  rows.push({
    scenario: 'no SDK registered',
    ours: result.a,
    raw: result.b,
    ratio: result.ratio,
    target: 2,
    baseline: 'bare no-op API calls',
  });
}

// 3. An SDK with a ratio-0 sampler: BatchTracer against the raw calls on the same SDK, and
//    against BatchTracer with no SDK (the no-op path), all with the context manager.
{
  const { provider } = sdk(new TraceIdRatioBasedSampler(0));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const sampledOut = createBatchTracer({ tracerProvider: provider });
  const raw = provider.getTracer('raw');
  const noop = createBatchTracer({ tracerProvider: trace.getTracerProvider() });
  const vsRaw = await comparePaired(
    (n) => withBatchTracer(sampledOut, n),
    (n) => withRawApi(raw, n),
    5,
    ROUNDS,
  );
  rows.push({
    scenario: 'SDK with ratio-0 sampler',
    ours: vsRaw.a,
    raw: vsRaw.b,
    ratio: vsRaw.ratio,
    target: Number.NaN,
    baseline: 'raw API calls, same SDK',
  });
  const vsNoop = await comparePaired(
    (n) => withBatchTracer(sampledOut, n),
    (n) => withBatchTracer(noop, n),
    5,
    ROUNDS,
  );
  rows.push({
    scenario: 'SDK with ratio-0 sampler',
    ours: vsNoop.a,
    raw: vsNoop.b,
    ratio: vsNoop.ratio,
    target: Number.NaN,
    baseline: 'BatchTracer with no SDK',
  });
  context.disable();
}

const fmt = (us: number): string => (us >= 100 ? us.toFixed(0) : us.toFixed(1));
const lines = [
  '## @ogf/tracing',
  '',
  `One batch of ${ACTIVITIES} activities: \`batch.processing\` → \`lock.acquisition\` + ${ACTIVITIES} × \`activity.processing\` (102 spans, 3 events per activity),`,
  'traced with `BatchTracer` and, as the baseline, the same spans, events and attributes made with raw `@opentelemetry/api`',
  'calls (`startActiveSpan`, try/finally `end()`). The two run in 151 short paired rounds (alternating which goes first),',
  "timed by the process's CPU time (`process.cpuUsage()`, so waiting for a core on a busy machine does not count);",
  'the table shows the median CPU µs per batch of each and the median of the paired ratios.',
  'The SDK case uses `BasicTracerProvider` + `BatchSpanProcessor` with a discarding exporter and the AsyncLocalStorage context manager.',
  '',
  'In the first row the activity callbacks finish synchronously (no I/O) and end their span before returning, so',
  'BatchTracer has no promise to watch; the second row adds one `await` per activity in both variants, so each',
  '`with…` span costs one promise more than hand-written try/finally code. The third row makes the same tree with the',
  '`start…Span` handles (the caller ends each span; raw baseline still uses `startActiveSpan` with its own await).',
  '',
  '| scenario | BatchTracer CPU µs/batch | baseline CPU µs/batch | baseline | ratio | target | met |',
  '|---|---:|---:|---|---:|---:|:-:|',
  ...rows.map((row) => {
    const ratio = row.ratio;
    const target = Number.isNaN(row.target) ? '—' : `≤ ${row.target}×`;
    const met = Number.isNaN(row.target) ? '—' : ratio <= row.target ? 'yes' : 'no';
    return `| ${row.scenario} | ${fmt(row.ours)} | ${fmt(row.raw)} | ${row.baseline} | ${ratio.toFixed(2)}× | ${target} | ${met} |`;
  }),
  '',
  `Measured ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}.`,
  'Reproduce: `pnpm bench @ogf/tracing` from the root, or `pnpm --filter @ogf/tracing bench`.',
  '',
];
writeFileSync(join(import.meta.dirname, 'results.md'), lines.join('\n'));
console.log(lines.join('\n'));
