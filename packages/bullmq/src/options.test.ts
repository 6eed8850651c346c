// Misconfiguration throws at construction with a message that says what was expected; what the
// processor wrapper reads from a job.
import { createObservability } from '@ogf/observability';
import type { Observability } from '@ogf/observability';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullMQObservability } from './create.js';
import { jobRef } from './job-ref.js';

let obs: Observability;
beforeAll(() => {
  obs = createObservability({ env: {}, logDestination: { write: () => undefined } });
});
afterAll(() => obs.shutdown());

describe('createBullMQObservability', () => {
  it('throws an OgfError naming what it expected', () => {
    expect(() => createBullMQObservability(undefined as never)).toThrow(/expects \{ obs, \.\.\. \}/);
    expect(() => createBullMQObservability({ obs: {} as never })).toThrow(/obs must be the Observability createObservability\(\) returned/);
    expect(() => createBullMQObservability({ obs, collectTimeoutMs: 0 })).toThrow(
      /collectTimeoutMs must be a positive number of milliseconds, got 0/,
    );
    expect(() => createBullMQObservability({ obs, onError: 'log' as never })).toThrow(/onError must be a function/);
    try {
      createBullMQObservability({ obs, collectTimeoutMs: -1 });
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ERR_OGF_INVALID_OPTION');
    }
  });

  it('rejects thresholds and windows that are not numbers ≥ 0', () => {
    const bull = createBullMQObservability({ obs });
    const queue = { name: 'q', getJobCounts: () => Promise.resolve({}), getJobs: () => Promise.resolve([]) } as never;
    expect(() => bull.observe(queue, { thresholds: { backlog: { degradedAbove: -1 } } })).toThrow(
      /backlog.degradedAbove must be a number ≥ 0, got -1/,
    );
    bull.close();
  });

  it('rejects a processor cancellation option that is not a boolean', () => {
    const bull = createBullMQObservability({ obs });
    expect(() => bull.processor(() => 1, { cancellation: 'no' as never })).toThrow(/cancellation must be true or false, got no/);
    bull.close();
  });
});

describe('jobRef', () => {
  const job = (fields: Record<string, unknown>): Job =>
    ({ id: '7', name: 'batch', attemptsMade: 0, timestamp: 1000, opts: {}, data: {}, ...fields }) as never;

  it('reads the batch id, org, activity count, attempt and submission time from the job', () => {
    expect(jobRef(job({ data: { batchId: 'b-1', orgId: 'o-1', activities: [1, 2, 3] }, attemptsMade: 2 }), undefined)).toEqual({
      id: 'b-1',
      orgId: 'o-1',
      activityCount: 3,
      attempt: 3,
      submittedAt: 1000,
    });
  });

  it('falls back to the job id, measures a delayed job from the end of its delay, and takes the worker id given', () => {
    expect(jobRef(job({ data: 'not an object', opts: { delay: 500 }, processedBy: 'w-9' }), undefined)).toEqual({
      id: '7',
      attempt: 1,
      submittedAt: 1000,
      enqueuedAt: 1500,
      workerId: 'w-9',
    });
    expect(jobRef(job({ data: { activityCount: 4 } }), 'slot-1')).toMatchObject({ activityCount: 4, workerId: 'slot-1' });
  });
});
