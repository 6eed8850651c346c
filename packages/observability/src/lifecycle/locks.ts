// The in-process lock `run.lock` uses by default: one FIFO mutex per lock name and key, taken at
// once when free, otherwise waited for until the timeout or the run's signal. Keys are dropped
// when nobody holds or waits, so the tables stay as small as the set of keys in use. A free lock
// costs two map look-ups and the release function: no key string is built, no queue is made
// until someone waits.

/** How a wait ended when the lock was not taken. */
export type LockMiss = 'timeout' | 'aborted';

export type Release = () => void;

export interface LocalLocks {
  /**
   * A release function at once (free lock) or a promise of one (contended). The promise resolves
   * to `'timeout'` or `'aborted'` when the wait ends without the lock; `owner.signal` is read only
   * when the lock is contended.
   */
  acquire(name: string, key: string, timeoutMs: number, owner: { readonly signal: AbortSignal }): Release | Promise<Release | LockMiss>;
}

interface Waiter {
  grant(): void;
}

/** The queue of a key that is held with nobody waiting (shared, never written). */
const HELD: readonly Waiter[] = Object.freeze([]);

export function createLocalLocks(): LocalLocks {
  // name → key → the waiters behind the holder (HELD while nobody waits).
  const tables = new Map<string, Map<string, readonly Waiter[]>>();

  const releaseFor = (keys: Map<string, readonly Waiter[]>, key: string): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const queue = keys.get(key);
      const next = queue === undefined || queue === HELD ? undefined : (queue as Waiter[]).shift();
      if (next) next.grant();
      else keys.delete(key);
    };
  };

  return {
    acquire(name, key, timeoutMs, owner) {
      let keys = tables.get(name);
      if (keys === undefined) tables.set(name, (keys = new Map<string, readonly Waiter[]>()));
      const held = keys.get(key);
      if (held === undefined) {
        keys.set(key, HELD);
        return releaseFor(keys, key);
      }
      const table = keys;
      let queue: Waiter[];
      if (held === HELD) table.set(key, (queue = []));
      else queue = held as Waiter[];
      const signal = owner.signal;
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
            resolve(releaseFor(table, key));
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
