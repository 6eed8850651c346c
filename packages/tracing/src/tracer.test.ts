import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { runSeedScenario } from '../test/scenario.ts';
import { captureDiag, expectSeedTree, recordingProvider, useAsyncContext } from '../test/support.ts';
import { createBatchTracer, isOgfError } from './index.ts';

useAsyncContext();

const SECRET_FAILURE = 'connect ECONNREFUSED postgres://app:S3cr3t@10.0.0.5:5432/emissions';

describe('createBatchTracer with a real BasicTracerProvider', () => {
  let diagnostics: ReturnType<typeof captureDiag> | undefined;
  afterEach(() => {
    diagnostics?.restore();
    diagnostics = undefined;
  });

  it('records the seed tree for a batch of 3 activities: names, parents, events and attributes', async () => {
    const { provider, spans } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    const result = await runSeedScenario(tracer);
    expect(result).toEqual({ emissionsKg: 725 });
    expectSeedTree(spans());
  });

  it('uses the globally registered provider, even one registered after the tracer was made', async () => {
    const tracer = createBatchTracer();
    const { provider, spans } = recordingProvider();
    trace.setGlobalTracerProvider(provider);
    try {
      await runSeedScenario(tracer);
      expectSeedTree(spans());
    } finally {
      trace.disable();
    }
  });

  it('records a rejection with type, redacted message and stack, sets ERROR and error.type, and rethrows it', async () => {
    const { provider, spans, finished } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    const failure = new Error(SECRET_FAILURE);
    const run = tracer.withActivityProcessing({ id: 'act-9', batchId: 'b-1' }, async (span) => {
      span.dataRetrieved();
      await Promise.resolve();
      throw failure;
    });
    await expect(run).rejects.toBe(failure);

    const [activity] = spans();
    expect(activity?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'connection_refused' });
    expect(activity?.attributes['error.type']).toBe('connection_refused');
    const exception = activity?.events.find((event) => event.name === 'exception');
    expect(exception?.attributes['exception.type']).toBe('Error');
    expect(exception?.attributes['exception.message']).toBe('connection_refused');
    const stack = String(exception?.attributes['exception.stacktrace']);
    expect(stack).toMatch(/^Error: connection_refused\n\s+at /);
    expect(stack).toContain('tracer.test.ts');
    const everything = JSON.stringify(finished().map((span) => ({ a: span.attributes, e: span.events, s: span.status })));
    expect(everything).not.toContain('S3cr3t');
    expect(everything).not.toContain('10.0.0.5');
    expect(everything).not.toContain('postgres://app');
  });

  it('records a synchronous throw, scrubbing credentials from an unrecognised message, and rethrows it synchronously', () => {
    const { provider, spans } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    const failure = new TypeError('factor lookup rejected: token=abc123 for api_key: k-999');
    expect(() =>
      tracer.withBatchSubmission({ id: 'b-2' }, () => {
        throw failure;
      }),
    ).toThrow(failure);
    const [submission] = spans();
    expect(submission?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'factor lookup rejected: token=[redacted] for api_key: [redacted]',
    });
    expect(submission?.attributes['error.type']).toBe('TypeError');
    expect(JSON.stringify(submission)).not.toMatch(/abc123|k-999/);
  });

  it('records a thrown non-Error value too', async () => {
    const { provider, spans } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a non-Error rejection is the case under test
    await expect(tracer.withBatchProcessing({ id: 'b-3' }, () => Promise.reject('password=hunter2'))).rejects.toBe('password=hunter2');
    expect(spans()[0]?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'password=[redacted]' });
    expect(spans()[0]?.attributes['error.type']).toBe('string');
  });

  it('ends every span exactly once, even when the callback fails or completes the span itself', async () => {
    diagnostics = captureDiag();
    const { provider, finished } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    expect(() =>
      tracer.withActivityProcessing({ id: 'a-1' }, (span) => {
        span.fail(new Error('first'));
        throw new Error('second');
      }),
    ).toThrow('second');
    await tracer.withActivityProcessing({ id: 'a-2' }, async (span) => {
      span.complete({ emissionsKg: 1 });
      span.resultsStored();
      span.end();
      await Promise.resolve();
    });
    expect(() =>
      tracer.withLockAcquisition({ name: 'org' }, (lock) => {
        lock.acquired();
        lock.released();
        throw new Error('after release');
      }),
    ).toThrow('after release');
    const handle = tracer.startBatchProcessingSpan({ id: 'b-4' });
    handle.complete();
    handle.fail(new Error('late'));
    handle.end();

    expect(finished().map((span) => span.name)).toEqual([
      'activity.processing',
      'activity.processing',
      'lock.acquisition',
      'batch.processing',
    ]);
    // The SDK never saw a second end(); our own report names the late call (resultsStored after complete).
    const ours = diagnostics.messages.filter((message) => message.startsWith('@ogf/tracing:'));
    expect(diagnostics.messages.filter((message) => !ours.includes(message) && /end\(\)|ended Span/i.test(message))).toEqual([]);
    expect(ours).toEqual([expect.stringContaining("event('results.stored') was called after its span ended")]);
    const [first, second, lock, batch] = finished();
    expect(first?.events.filter((event) => event.name === 'exception')).toHaveLength(1);
    expect(first?.events[0]?.attributes?.['exception.message']).toBe('first');
    expect(second?.events.map((event) => event.name)).toEqual([]);
    // Released before the throw: the error happened after the span ended and is not pinned on it.
    expect(lock?.events.map((event) => event.name)).toEqual(['lock.acquired', 'lock.released']);
    expect(lock?.status.code).toBe(SpanStatusCode.UNSET);
    expect(batch?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records lock.released when a lock scope fails while the lock is held, and a lock timeout as an error', async () => {
    const { provider, spans } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    await expect(
      tracer.withLockAcquisition({ name: 'org', orgId: 'org-1' }, async (lock) => {
        lock.acquired(4);
        await Promise.resolve();
        throw new Error('write failed');
      }),
    ).rejects.toThrow('write failed');
    const timedOut = tracer.startLockAcquisitionSpan({ name: 'org', orgId: 'org-2' });
    timedOut.waiting();
    timedOut.timedOut(5_000);

    const [held, waited] = spans();
    expect(held?.events.map((event) => event.name)).toEqual(['lock.acquired', 'exception', 'lock.released']);
    expect(held?.status.code).toBe(SpanStatusCode.ERROR);
    expect(waited?.events.map((event) => event.name)).toEqual(['lock.wait']);
    expect(waited?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'lock timeout' });
    expect(waited?.attributes).toMatchObject({ 'error.type': 'timeout', 'lock.wait_s': 5 });
  });

  it('returns synchronous results synchronously and passes resolved values through', async () => {
    const { provider } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    expect(tracer.withBatchSubmission({ id: 'b' }, () => 41 + 1)).toBe(42);
    await expect(tracer.withBatchProcessing({ id: 'b' }, () => Promise.resolve('done'))).resolves.toBe('done');
  });

  it('makes the span active inside the callback and restores the outer context after it', async () => {
    const { provider } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    await tracer.withBatchProcessing({ id: 'b' }, async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(trace.getActiveSpan()).toBe(span.span);
    });
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('parents a span to an explicit handle or context instead of the active one', () => {
    const { provider, spans } = recordingProvider();
    const tracer = createBatchTracer({ tracerProvider: provider });
    const batch = tracer.startBatchProcessingSpan({ id: 'b' });
    tracer.startActivityProcessingSpan({ id: 'a' }, { parent: batch }).end();
    tracer.startActivityProcessingSpan({ id: 'c' }, { parent: batch.context, attributes: { 'custom.flag': true } }).end();
    batch.end();
    const [a, c, b] = spans();
    expect(a?.parentSpanId).toBe(b?.spanId);
    expect(c?.parentSpanId).toBe(b?.spanId);
    expect(c?.attributes['custom.flag']).toBe(true);
  });
});

describe('createBatchTracer without an SDK', () => {
  it('runs callbacks, returns their values and rethrows their errors while recording nothing', async () => {
    const tracer = createBatchTracer();
    const value = await tracer.withBatchProcessing({ id: 'b' }, (batch) =>
      tracer.withActivityProcessing({ id: 'a' }, async (activity) => {
        await Promise.resolve();
        activity.dataRetrieved();
        activity.calculationsPerformed({ emissionsKg: 3 });
        batch.stateTransition('processing', 'completed');
        expect(activity.span.isRecording()).toBe(false);
        return 7;
      }),
    );
    expect(value).toBe(7);
    const failure = new Error('boom');
    await expect(tracer.withActivityProcessing({ id: 'a' }, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(tracer.injectContext()).toEqual({});
  });
});

describe('sampling', () => {
  it('a ratio sampler of 0 records nothing, and the callbacks still run', async () => {
    const { provider, finished } = recordingProvider(new TraceIdRatioBasedSampler(0));
    const tracer = createBatchTracer({ tracerProvider: provider });
    const result = await runSeedScenario(tracer);
    expect(result.emissionsKg).toBe(725);
    expect(finished()).toHaveLength(0);
    const carrier = tracer.withBatchProcessing({ id: 'b' }, () => tracer.injectContext());
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });
});

describe('options', () => {
  it('throws an OgfError at construction for a job relation it does not know', () => {
    let thrown: unknown;
    try {
      createBatchTracer({ jobRelation: 'sibling' as never });
    } catch (error) {
      thrown = error;
    }
    expect(isOgfError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'ERR_OGF_INVALID_OPTION', message: expect.stringContaining("'child' or 'link'") });
    expect(() => createBatchTracer({ scopeName: '' })).toThrow(/scopeName/);
    expect(isOgfError(new Error('plain'))).toBe(false);
  });

  it('reports a failing propagator through onError and hands back an empty carrier', () => {
    const errors: unknown[] = [];
    const broken = new Error('propagator exploded');
    const tracer = createBatchTracer({
      onError: (error) => errors.push(error),
      propagator: {
        inject: () => {
          throw broken;
        },
        extract: () => {
          throw broken;
        },
        fields: () => ['x'],
      },
    });
    expect(tracer.injectContext()).toEqual({});
    const base = context.active();
    expect(tracer.extractContext({ x: '1' })).toBe(base);
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(error).toMatchObject({ code: 'ERR_OGF_PROPAGATION', cause: broken });
  });
});
