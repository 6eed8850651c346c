import { describe, expect, it } from 'vitest';
import { recordingProvider, useAsyncContext } from '../test/support.ts';
import { createBatchTracer, isOgfError } from './index.ts';

useAsyncContext();

describe('calls on an ended span', () => {
  it('reports a state transition after complete() once, through onError, instead of dropping it silently', () => {
    const { provider, spans } = recordingProvider();
    const errors: unknown[] = [];
    const tracer = createBatchTracer({ tracerProvider: provider, onError: (error) => errors.push(error) });
    for (const id of ['b-1', 'b-2']) {
      const span = tracer.startBatchProcessingSpan({ id });
      span.stateTransition('queued', 'processing');
      span.complete({ successCount: 1 });
      span.stateTransition('processing', 'completed');
    }
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(isOgfError(error) && error.code).toBe('ERR_OGF_SPAN_ENDED');
    expect((error as Error).message).toBe(
      "stateTransition('processing', 'completed') was called after its span ended and was dropped; record events and state transitions before complete(), fail() or end() (reported once)",
    );
    // The ended span is unchanged: the late event is not on it.
    const transitions = spans()[0]!.events.filter((event) => event.name === 'state.transition');
    expect(transitions.map((event) => event.attributes?.['batch.state.to'])).toEqual(['processing']);
  });

  it('reports each kind of late call, and none for calls before the end', () => {
    const { provider } = recordingProvider();
    const errors: Error[] = [];
    const tracer = createBatchTracer({ tracerProvider: provider, onError: (error) => errors.push(error) });
    const activity = tracer.startActivityProcessingSpan({ id: 'a-1' });
    activity.calculationsPerformed({ emissionsKg: 1 });
    activity.event('results.stored');
    activity.complete();
    activity.calculationsPerformed({ emissionsKg: 1 });
    activity.event('results.stored');
    activity.complete();
    expect(errors.map((e) => e.message.split(' was called')[0])).toEqual(['calculationsPerformed()', "event('results.stored')"]);
  });
});
