import { context, propagation, ROOT_CONTEXT, trace, type TextMapPropagator } from '@opentelemetry/api';
import { ParentBasedSampler, AlwaysOnSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingProvider, useAsyncContext } from '../test/support.ts';
import { createBatchTracer, extractContext, injectContext } from './index.ts';

useAsyncContext();

/** A submitter and a worker with separate providers, as two processes would have. */
function submitterAndWorker(options: { jobRelation?: 'child' | 'link'; submitterRatio?: number } = {}) {
  const submitter = recordingProvider(
    options.submitterRatio === undefined ? undefined : new TraceIdRatioBasedSampler(options.submitterRatio),
  );
  const worker = recordingProvider(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
  return {
    submitter,
    worker,
    submitterTracer: createBatchTracer({ tracerProvider: submitter.provider }),
    workerTracer: createBatchTracer({
      tracerProvider: worker.provider,
      ...(options.jobRelation ? { jobRelation: options.jobRelation } : {}),
    }),
  };
}

/** The job payload goes through JSON, as it would through a queue. */
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('injectContext and extractContext', () => {
  afterEach(() => {
    propagation.disable();
  });

  it('writes W3C traceparent and baggage into a plain object when no propagator is registered', () => {
    const { submitterTracer, submitter } = submitterAndWorker();
    const carrier = submitterTracer.withBatchProcessing({ id: 'b-1' }, () => {
      const withBaggage = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'org 7' } }));
      return submitterTracer.injectContext(withBaggage);
    });
    const [batch] = submitter.spans();
    expect(Object.getPrototypeOf(carrier)).toBe(Object.prototype);
    expect(carrier).toEqual({ traceparent: `00-${batch?.traceId}-${batch?.spanId}-01`, baggage: 'tenant=org%207' });
    expect(viaJson(carrier)).toEqual(carrier);
  });

  it('continues the trace in child mode: same trace id, parent = the submitting span, baggage restored', async () => {
    const { submitterTracer, workerTracer, submitter, worker } = submitterAndWorker();
    const jobs = submitterTracer.withBatchProcessing({ id: 'b-1' }, () =>
      ['a-1', 'a-2'].map((id) => ({
        id,
        trace: viaJson(
          submitterTracer.injectContext(propagation.setBaggage(context.active(), propagation.createBaggage({ job: { value: id } }))),
        ),
      })),
    );
    for (const job of jobs) {
      const ctx = workerTracer.extractContext(job.trace, { base: ROOT_CONTEXT });
      expect(propagation.getBaggage(ctx)?.getEntry('job')?.value).toBe(job.id);
      await context.with(ctx, () => workerTracer.withActivityProcessing({ id: job.id }, () => Promise.resolve(undefined)));
    }
    const [batch] = submitter.spans();
    const activities = worker.spans();
    expect(activities).toHaveLength(2);
    for (const activity of activities) {
      expect(activity.traceId).toBe(batch?.traceId);
      expect(activity.parentSpanId).toBe(batch?.spanId);
      expect(activity.links).toEqual([]);
    }
  });

  it('starts a linked root per job in link mode', () => {
    const { submitterTracer, workerTracer, submitter, worker } = submitterAndWorker({ jobRelation: 'link' });
    const carrier = submitterTracer.withBatchProcessing({ id: 'b-1' }, () => viaJson(submitterTracer.injectContext()));
    context.with(workerTracer.extractContext(carrier), () =>
      workerTracer.withActivityProcessing({ id: 'a-1' }, () => workerTracer.withLockAcquisition({ name: 'row' }, () => undefined)),
    );
    const [batch] = submitter.spans();
    const [lock, activity] = worker.spans();
    expect(activity?.parentSpanId).toBeUndefined();
    expect(activity?.traceId).not.toBe(batch?.traceId);
    expect(activity?.links).toEqual([{ traceId: batch?.traceId, spanId: batch?.spanId, attributes: { 'ogf.link.type': 'job.submitter' } }]);
    // Only the job's first span carries the link; its children nest normally.
    expect(lock?.parentSpanId).toBe(activity?.spanId);
    expect(lock?.links).toEqual([]);
  });

  it('honours an unsampled submitter downstream, in child and in link mode', () => {
    for (const jobRelation of ['child', 'link'] as const) {
      const { submitterTracer, workerTracer, submitter, worker } = submitterAndWorker({ jobRelation, submitterRatio: 0 });
      const carrier = submitterTracer.withBatchProcessing({ id: 'b-1' }, () => submitterTracer.injectContext());
      expect(carrier.traceparent).toMatch(/-00$/);
      context.with(workerTracer.extractContext(carrier), () =>
        workerTracer.withActivityProcessing({ id: 'a-1' }, (span) => expect(span.span.isRecording()).toBe(false)),
      );
      expect(submitter.finished()).toHaveLength(0);
      expect(worker.finished()).toHaveLength(0);
    }
  });

  it('uses the application propagator when one is registered globally', () => {
    const custom: TextMapPropagator = {
      inject: (ctx, carrier, setter) => setter.set(carrier, 'x-trace', trace.getSpanContext(ctx)?.traceId ?? 'none'),
      extract: (ctx) => ctx,
      fields: () => ['x-trace'],
    };
    propagation.setGlobalPropagator(custom);
    const { submitterTracer, submitter } = submitterAndWorker();
    const carrier = submitterTracer.withBatchProcessing({ id: 'b' }, () => injectContext());
    expect(carrier).toEqual({ 'x-trace': submitter.spans()[0]?.traceId });
  });

  it('leaves the context unchanged for anything that is not a carrier', () => {
    for (const junk of [null, undefined, 'traceparent', 42, ['00'], { traceparent: 42 }, { traceparent: 'garbage' }]) {
      const ctx = extractContext(junk, {}, ROOT_CONTEXT);
      expect(trace.getSpanContext(ctx)).toBeUndefined();
    }
    expect(() =>
      extractContext({ traceparent: '00-' + '0'.repeat(32) + '-' + '0'.repeat(16) + '-01' }, { relation: 'link' }),
    ).not.toThrow();
  });
});
