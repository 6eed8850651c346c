import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createBatchTracer } from './index.ts';

// No context manager is registered in this file until the last test registers one.
describe('span contexts without a context manager', () => {
  it('gives a handle one context with its span active, the same object on every read', () => {
    const tracer = createBatchTracer();
    const batch = tracer.startBatchProcessingSpan({ id: 'b-1' });
    const activity = tracer.startActivityProcessingSpan({ id: 'a-1' }, { parent: batch });
    expect(trace.getSpan(activity.context)).toBe(activity.span);
    expect(activity.context).toBe(activity.context);
    expect(trace.getSpan(batch.context)).toBe(batch.span);
  });

  it('runs a non-recording callback with its handle and returns what it returns', () => {
    const tracer = createBatchTracer();
    const seen = tracer.withActivityProcessing({ id: 'a-1' }, (span) => trace.getSpan(span.context) === span.span);
    expect(seen).toBe(true);
  });

  it('makes the span active again once a context manager is registered', () => {
    const tracer = createBatchTracer();
    expect(tracer.withActivityProcessing({ id: 'a-1' }, (span) => trace.getSpan(context.active()) === span.span)).toBe(false);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      expect(tracer.withActivityProcessing({ id: 'a-2' }, (span) => trace.getSpan(context.active()) === span.span)).toBe(true);
    } finally {
      context.disable();
    }
  });
});
