// Per-organisation mutual exclusion with a timeout: two batches of one org never run at once.

export class LockTimeoutError extends Error {
  readonly errorType = 'lock_timeout';
  constructor(
    readonly key: string,
    readonly timeoutMs: number,
  ) {
    super(`lock for ${key} not acquired within ${timeoutMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

export interface OrgLocks {
  /** Resolves with a release function once the lock is held; rejects with LockTimeoutError. */
  acquire(key: string, timeoutMs: number): Promise<() => void>;
  isHeld(key: string): boolean;
}

interface Waiter {
  grant: () => void;
}

export function createOrgLocks(): OrgLocks {
  const held = new Set<string>();
  const waiting = new Map<string, Waiter[]>();

  function releaseFor(key: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiting.get(key)?.shift();
      if (next) {
        next.grant();
      } else {
        held.delete(key);
        waiting.delete(key);
      }
    };
  }

  return {
    isHeld: (key) => held.has(key),
    acquire(key, timeoutMs) {
      if (!held.has(key)) {
        held.add(key);
        return Promise.resolve(releaseFor(key));
      }
      return new Promise((resolve, reject) => {
        const queue = waiting.get(key) ?? [];
        waiting.set(key, queue);
        const waiter: Waiter = {
          grant: () => {
            clearTimeout(timer);
            resolve(releaseFor(key));
          },
        };
        const timer = setTimeout(() => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(new LockTimeoutError(key, timeoutMs));
        }, timeoutMs);
        queue.push(waiter);
      });
    },
  };
}
