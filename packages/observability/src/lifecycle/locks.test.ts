import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalLocks } from './locks.js';
import type { Release } from './locks.js';

const owner = (signal = new AbortController().signal): { signal: AbortSignal } => ({ signal });

function taken(got: unknown): Release {
  if (typeof got !== 'function') throw new Error(`expected the lock at once, got ${String(got)}`);
  return got as Release;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the in-process locks', () => {
  it('grants a held lock to its waiters in arrival order, and frees it when the last one releases', async () => {
    const locks = createLocalLocks();
    const first = taken(locks.acquire('org', 'org-1', 1_000, owner()));
    const order: string[] = [];
    const second = Promise.resolve(locks.acquire('org', 'org-1', 1_000, owner())).then((got) => (order.push('second'), got));
    const third = Promise.resolve(locks.acquire('org', 'org-1', 1_000, owner())).then((got) => (order.push('third'), got));
    first();
    first(); // a second release of the same hold does nothing
    const got2 = await second;
    expect(order).toEqual(['second']);
    taken(got2)();
    taken(await third)();
    expect(order).toEqual(['second', 'third']);
    // Free again: taken at once.
    taken(locks.acquire('org', 'org-1', 1_000, owner()))();
  });

  it('keeps locks of other names and other keys apart', () => {
    const locks = createLocalLocks();
    const a = taken(locks.acquire('org', 'k', 1_000, owner()));
    const b = taken(locks.acquire('ledger', 'k', 1_000, owner()));
    const c = taken(locks.acquire('org', 'k2', 1_000, owner()));
    // A name and key whose joined text is the same as another pair's are still another lock.
    const d = taken(locks.acquire('or', 'gk', 1_000, owner()));
    for (const release of [a, b, c, d]) release();
  });

  it('ends a wait at the timeout or when the signal aborts, and leaves the queue to the others', async () => {
    vi.useFakeTimers();
    const locks = createLocalLocks();
    const holder = taken(locks.acquire('org', 'o', 1_000, owner()));
    const timedOut = locks.acquire('org', 'o', 50, owner());
    const controller = new AbortController();
    const aborted = locks.acquire('org', 'o', 1_000, owner(controller.signal));
    const patient = locks.acquire('org', 'o', 1_000, owner());
    const alreadyAborted = new AbortController();
    alreadyAborted.abort();
    expect(await locks.acquire('org', 'o', 1_000, owner(alreadyAborted.signal))).toBe('aborted');
    await vi.advanceTimersByTimeAsync(60);
    expect(await timedOut).toBe('timeout');
    controller.abort();
    expect(await aborted).toBe('aborted');
    holder();
    taken(await patient)();
    taken(locks.acquire('org', 'o', 1_000, owner()))();
  });
});
