// The in-process lock `run.lock` uses by default: one FIFO mutex per key, taken at once when free,
// otherwise waited for until the timeout or the run's signal. Keys are dropped when nobody holds
// or waits, so the table stays as small as the set of keys in use.

/** How a wait ended when the lock was not taken. */
export type LockMiss = 'timeout' | 'aborted';

export type Release = () => void;

export interface LocalLocks {
  /**
   * A release function at once (free lock) or a promise of one (contended). The promise resolves
   * to `'timeout'` or `'aborted'` when the wait ends without the lock.
   */
  acquire(key: string, timeoutMs: number, signalOf: () => AbortSignal): Release | Promise<Release | LockMiss>;
}

interface Waiter {
  grant(): void;
}

export function createLocalLocks(): LocalLocks {
  const queues = new Map<string, Waiter[]>();

  const releaseFor = (key: string): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const queue = queues.get(key);
      const next = queue?.shift();
      if (next) next.grant();
      else queues.delete(key);
    };
  };

  return {
    acquire(key, timeoutMs, signalOf) {
      if (!queues.has(key)) {
        queues.set(key, []);
        return releaseFor(key);
      }
      const signal = signalOf();
      const queue = queues.get(key)!;
      return new Promise<Release | LockMiss>((resolve) => {
        const leave = (miss: LockMiss): void => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(miss);
        };
        const onAbort = (): void => leave('aborted');
        const waiter: Waiter = {
          grant: () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            resolve(releaseFor(key));
          },
        };
        const timer = setTimeout(() => leave('timeout'), timeoutMs);
        if (signal.aborted) {
          clearTimeout(timer);
          resolve('aborted');
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
      });
    },
  };
}
