import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createRig, useAsyncContext } from '../../test/lifecycle-rig.js';
import { isOgfError } from '../errors.js';

useAsyncContext();

const eventNames = (span: ReadableSpan): string[] => span.events.map((event) => event.name);
const transitions = (span: ReadableSpan): string[] =>
  span.events
    .filter((e) => e.name === 'state.transition')
    .map((e) => `${String(e.attributes?.['batch.state.from'])}→${String(e.attributes?.['batch.state.to'])}`);

describe('locks', () => {
  it('records a wait, a timeout, and a requeue that returns the batch to the queue', async () => {
    const rig = createRig({ lockTimeoutMs: 25 });
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let signalHeld!: () => void;
    const held = new Promise<void>((resolve) => (signalHeld = resolve));
    await rig.batches.submit({ id: 'b-2', orgId: 'org-1', activityCount: 0 }, () => undefined);

    const first = rig.batches.process({ id: 'b-1', orgId: 'org-1' }, (run) =>
      run.lock('org', async () => {
        signalHeld();
        await firstHolds;
      }),
    );
    await held;
    // The second waits for the same org, times out (real timer of 25 ms), and requeues itself.
    const second = rig.batches.process({ id: 'b-2', orgId: 'org-1' }, async (run) => {
      try {
        await run.lock('org', () => undefined);
      } catch (error) {
        expect(isOgfError(error) && error.code).toBe('ERR_OGF_LOCK_TIMEOUT');
        run.requeue('lock_timeout');
      }
    });
    await second;
    // A third waits and gets the lock when the first releases it.
    const third = rig.batches.process({ id: 'b-3', orgId: 'org-1' }, (run) => run.lock('org', () => 'done', { timeoutMs: 60_000 }));
    releaseFirst();
    await first;
    expect(await third).toBe('done');

    expect(await rig.sample('lock_timeouts_total', { lock: 'org' })).toBe(1);
    expect(await rig.sample('lock_acquisitions_total', { lock: 'org' })).toBe(2);
    expect(await rig.sample('batch_processing')).toBe(0);
    expect(await rig.sample('queue_size')).toBe(1);
    expect(await rig.sample('batch_completed_total')).toBe(2);
    expect(await rig.sample('batch_state_transitions_total', { from: 'processing', to: 'queued' })).toBe(1);
    const locks = rig.spans().filter((s) => s.name === 'lock.acquisition');
    const timedOut = locks.find((s) => s.status.code === SpanStatusCode.ERROR)!;
    expect(timedOut.attributes['error.type']).toBe('timeout');
    expect(eventNames(timedOut)).toEqual(['lock.wait']);
    expect(locks.filter((s) => eventNames(s).join() === 'lock.wait,lock.acquired,lock.released')).toHaveLength(2);
    expect(transitions(rig.span('batch.processing', ['batch.id', 'b-2']))).toEqual(['queued→processing', 'processing→queued']);
  });

  it('takes a lock of your own through acquire, and reports one that was not taken in time', async () => {
    const rig = createRig();
    const calls: string[] = [];
    await rig.batches.process({ id: 'b-1', orgId: 'org-1' }, (run) =>
      run.lock('org', () => calls.push('inside'), {
        acquire: () => {
          calls.push('acquire');
          return Promise.resolve(() => void calls.push('release'));
        },
      }),
    );
    await expect(
      rig.batches.process({ id: 'b-2' }, (run) =>
        run.lock('org', () => calls.push('never'), { acquire: () => Promise.resolve(false as const), timeoutMs: 5 }),
      ),
    ).rejects.toThrow("lock 'org' for b-2 not acquired within 5 ms (timed out)");
    expect(calls).toEqual(['acquire', 'inside', 'release']);
    expect(await rig.sample('batch_failed_total', { error_type: 'timeout' })).toBe(1);
  });
});

describe('lock release', () => {
  it('releases the lock when fn throws, waits for an async release, and reports a release that fails', async () => {
    const rig = createRig();
    const order: string[] = [];
    const failure = new Error('inside the lock');
    await expect(
      rig.batches.process({ id: 'b-1', orgId: 'org-1' }, (run) =>
        run.lock('org', () => {
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    // The in-process lock was released: the next run takes it at once.
    expect(await rig.batches.process({ id: 'b-2', orgId: 'org-1' }, (run) => run.lock('org', () => 'again', { timeoutMs: 50 }))).toBe(
      'again',
    );
    await rig.batches.process({ id: 'b-3' }, (run) =>
      run.lock('org', () => order.push('inside'), {
        acquire: () =>
          Promise.resolve(async () => {
            await Promise.resolve();
            order.push('released');
            throw new Error('redis went away');
          }),
      }),
    );
    expect(order).toEqual(['inside', 'released']);
    expect(rig.errors.map((e) => e.message)).toEqual(["releasing lock 'org' for b-3 failed: Error: redis went away"]);
    const locks = rig.spans().filter((s) => s.name === 'lock.acquisition');
    expect(locks.map((s) => eventNames(s).at(-1))).toEqual(['lock.released', 'lock.released', 'lock.released']);
    expect(await rig.sample('batch_failed_total', { error_type: 'other' })).toBe(1);
    expect(await rig.sample('batch_completed_total')).toBe(2);
  });
});
