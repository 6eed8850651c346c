import { createBatchMetrics } from '@ogf/metrics';
import { createBatchTracer } from '@ogf/tracing';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createBatchLifecycle } from '../index.js';

// No SDK and no context manager in this file: the activity callbacks are called directly.
describe('the lifecycle without a context manager', () => {
  it('still gives the run and each activity a context with its span active, and counts a repeated id once', async () => {
    const errors: string[] = [];
    const batches = createBatchLifecycle({
      metrics: createBatchMetrics(),
      tracer: createBatchTracer(),
      queue: 'external',
      onError: (error) => errors.push(error.message),
    });
    const seen: boolean[] = [];
    let runContextOk = false;
    const total = await batches.process({ id: 'b-1', activityCount: 3 }, (run) => {
      // Built on first read here (nothing needs it without a context manager), then kept.
      runContextOk = trace.getSpan(run.context) === run.span.span && run.context === run.context;
      let kg = 0;
      for (const id of ['a-1', 'a-2', 'a-1']) {
        kg += run.activity({ id }, (act) => {
          seen.push(trace.getSpan(act.context) === act.span.span && act.context === act.context);
          return act.calculated({ emissionsKg: 2 });
        });
      }
      return kg;
    });
    expect(total).toBe(6);
    expect(seen).toEqual([true, true, true]);
    expect(runContextOk).toBe(true);
    expect(errors).toEqual([expect.stringContaining('activity a-1 was already recorded in this run of batch b-1')]);
  });
});
