// Test plumbing: a real SDK provider with an in-memory exporter, the AsyncLocalStorage context
// manager, a diag logger that keeps what the SDK complains about, and the seed-tree assertion.
import { context, diag, DiagLogLevel } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect } from 'vitest';
import { ACTIVITIES, BATCH, summarize, type SpanSummary } from './scenario.ts';

/** Registers the AsyncLocalStorage context manager for the file's tests. */
export function useAsyncContext(): void {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
  });
  afterAll(() => {
    context.disable();
  });
}

export interface RecordingProvider {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  spans: () => SpanSummary[];
  finished: () => ReadableSpan[];
}

export function recordingProvider(sampler?: Sampler): RecordingProvider {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)], ...(sampler ? { sampler } : {}) });
  return {
    provider,
    exporter,
    spans: () => summarize(exporter.getFinishedSpans()),
    finished: () => exporter.getFinishedSpans(),
  };
}

/** Collects diag output (the SDK reports a double `end()` there). */
export function captureDiag(): { messages: string[]; restore(): void } {
  const messages: string[] = [];
  const keep = (...args: unknown[]): void => {
    messages.push(args.map(String).join(' '));
  };
  diag.setLogger(
    { error: keep, warn: keep, info: keep, debug: keep, verbose: keep },
    { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
  );
  return { messages, restore: () => diag.disable() };
}

const INTERNAL = 0;
const UNSET = 0;

function only(spans: SpanSummary[], name: string): SpanSummary {
  const found = spans.filter((span) => span.name === name);
  expect(found, `exactly one ${name}`).toHaveLength(1);
  return found[0]!;
}

/** The whole seed tree for the scenario's batch of 3 activities. */
export function expectSeedTree(spans: SpanSummary[]): void {
  expect(spans).toHaveLength(6);
  expect(new Set(spans.map((span) => span.spanId)).size).toBe(6);

  const submission = only(spans, 'batch.submission');
  expect(submission.parentSpanId).toBeUndefined();
  expect(submission.kind).toBe(INTERNAL);
  expect(submission.attributes).toEqual({
    'batch.id': BATCH.id,
    'org.id': BATCH.orgId,
    'workspace.id': BATCH.workspaceId,
    'batch.activity_count': 3,
    'worker.id': BATCH.workerId,
    'batch.duration_s': 0.005,
  });
  expect(submission.events.map((event) => event.name)).toEqual(['batch.created', 'activities.added', 'batch.queued']);
  expect(submission.events[1]!.attributes).toEqual({ 'batch.activity_count': 3 });
  expect(submission.events[2]!.attributes).toEqual({ 'queue.size': 1 });
  expect(submission.status).toEqual({ code: UNSET });

  const processing = only(spans, 'batch.processing');
  expect(processing.parentSpanId).toBeUndefined();
  expect(processing.traceId).not.toBe(submission.traceId);
  expect(processing.events.map((event) => event.name)).toEqual([
    'worker.busy',
    'state.transition',
    'state.transition',
    'worker.idle',
    'batch.completed',
  ]);
  expect(processing.events[0]!.attributes).toEqual({ 'worker.id': BATCH.workerId });
  expect(processing.events[1]!.attributes).toEqual({ 'batch.state.from': 'queued', 'batch.state.to': 'processing' });
  expect(processing.events[2]!.attributes).toEqual({ 'batch.state.from': 'processing', 'batch.state.to': 'completed' });
  expect(processing.events[3]!.attributes).toEqual({ 'worker.id': BATCH.workerId, 'worker.idle_s': 0.25 });
  const outcome = { 'batch.success_count': 3, 'batch.error_count': 0, 'batch.duration_s': 0.02, 'emissions.kg_co2e': 725 };
  expect(processing.events[4]!.attributes).toEqual(outcome);
  expect(processing.attributes).toMatchObject({ 'batch.id': BATCH.id, 'org.id': BATCH.orgId, ...outcome });
  expect(processing.status).toEqual({ code: UNSET });

  const lock = only(spans, 'lock.acquisition');
  expect(lock.traceId).toBe(processing.traceId);
  expect(lock.parentSpanId).toBe(processing.spanId);
  expect(lock.attributes).toEqual({ 'lock.name': 'org', 'org.id': BATCH.orgId, 'batch.id': BATCH.id, 'lock.wait_s': 0.002 });
  expect(lock.events.map((event) => event.name)).toEqual(['lock.wait', 'lock.acquired', 'lock.released']);

  const activities = spans.filter((span) => span.name === 'activity.processing');
  expect(activities.map((span) => span.attributes['activity.id'])).toEqual(ACTIVITIES.map((activity) => activity.id));
  for (const [index, span] of activities.entries()) {
    const activity = ACTIVITIES[index]!;
    const kg = activity.quantity * activity.factor;
    // Siblings of the lock, children of batch.processing, as in the seed's tree.
    expect(span.traceId).toBe(processing.traceId);
    expect(span.parentSpanId).toBe(processing.spanId);
    expect(span.kind).toBe(INTERNAL);
    expect(span.attributes).toEqual({
      'activity.id': activity.id,
      'batch.id': BATCH.id,
      'org.id': BATCH.orgId,
      'activity.type': activity.type,
      'worker.id': BATCH.workerId,
      'activity.duration_s': 0.0015,
      'emissions.kg_co2e': kg,
    });
    expect(span.events.map((event) => event.name)).toEqual(['data.retrieved', 'calculations.performed', 'results.stored']);
    expect(span.events[1]!.attributes).toEqual({ 'emissions.kg_co2e': kg, 'emission.factor': activity.factor });
    expect(span.status).toEqual({ code: UNSET });
  }
}
