import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertTransition, canTransition } from '../domain/states.ts';
import { createBoundedQueue } from './bounded-queue.ts';
import { createFaultInjector, TransientError } from './faults.ts';
import { createOrgLocks, LockTimeoutError } from './org-locks.ts';
import { withRetry } from './retry.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the bounded queue', () => {
  it('refuses a reservation when entries and reservations fill it, and reports size changes', async () => {
    const deltas: number[] = [];
    const queue = createBoundedQueue({ capacity: 2, onSizeChange: (d) => deltas.push(d) });
    const first = queue.tryReserve()!;
    const second = queue.tryReserve()!;
    expect(queue.tryReserve()).toBeUndefined();
    second.release();
    first.commit('b1');
    expect(queue.size).toBe(1);
    expect(await queue.take()).toMatchObject({ batchId: 'b1' });
    expect(deltas).toEqual([1, -1]);
  });

  it('hands entries to waiting takers in order and ends them on close', async () => {
    const queue = createBoundedQueue({ capacity: 5 });
    const taken = queue.take();
    queue.pushForced('b1');
    expect((await taken)?.batchId).toBe('b1');
    queue.pushForced('b2');
    expect(queue.remove('b2')).toBe(true);
    const waiting = queue.take();
    queue.close();
    expect(await waiting).toBeUndefined();
    queue.pushForced('b3');
    expect(await queue.take()).toBeUndefined();
  });
});

describe('per-organisation locks', () => {
  it('lets one holder per org and hands over in order', async () => {
    const locks = createOrgLocks();
    const release = await locks.acquire('acme', 1000);
    const other = await locks.acquire('globex', 1000);
    const order: string[] = [];
    const second = locks.acquire('acme', 1000).then((r) => (order.push('second'), r));
    const third = locks.acquire('acme', 1000).then((r) => (order.push('third'), r));
    release();
    (await second)();
    (await third)();
    other();
    expect(order).toEqual(['second', 'third']);
    expect(locks.isHeld('acme')).toBe(false);
  });

  it('times out a waiter without disturbing the holder', async () => {
    vi.useFakeTimers();
    const locks = createOrgLocks();
    const release = await locks.acquire('acme', 50);
    const waiting = locks.acquire('acme', 50);
    vi.advanceTimersByTime(51);
    await expect(waiting).rejects.toBeInstanceOf(LockTimeoutError);
    expect(locks.isHeld('acme')).toBe(true);
    release();
    expect(locks.isHeld('acme')).toBe(false);
  });
});

describe('retries', () => {
  it('retries transient faults with backoff and reports the recovery', async () => {
    const retried: number[] = [];
    let recovered = 0;
    const result = await withRetry(
      (attempt) => (attempt < 3 ? Promise.reject(new TransientError('timeout', 'slow')) : Promise.resolve('ok')),
      { attempts: 4, baseDelayMs: 1, maxDelayMs: 2, onRetry: (n) => retried.push(n), onRecovered: () => (recovered += 1) },
    );
    expect(result).toEqual({ value: 'ok', attempts: 3 });
    expect(retried).toEqual([1, 2]);
    expect(recovered).toBe(1);
  });

  it('does not retry other errors and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      withRetry(
        () => {
          calls += 1;
          return Promise.reject(new Error('bug'));
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      ),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
    await expect(
      withRetry(() => Promise.reject(new TransientError('network', 'down')), { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 }),
    ).rejects.toThrow('down');
  });

  it('injects faults at the configured rate', () => {
    const never = createFaultInjector({ rate: 0 });
    const always = createFaultInjector({ rate: 1, seed: 7 });
    expect(() => never.maybeFail('x')).not.toThrow();
    expect(() => always.maybeFail('x')).toThrow(TransientError);
  });
});

describe('the batch state machine', () => {
  it('allows the seed lifecycle and refuses to leave a terminal state', () => {
    expect(canTransition('pending', 'queued')).toBe(true);
    expect(canTransition('queued', 'processing')).toBe(true);
    expect(canTransition('processing', 'completed')).toBe(true);
    expect(canTransition('processing', 'queued')).toBe(true);
    expect(canTransition('completed', 'processing')).toBe(false);
    expect(() => assertTransition('cancelled', 'queued')).toThrow('cancelled to queued');
  });
});
