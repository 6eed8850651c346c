// A bounded FIFO of batch ids waiting for a worker. Submissions reserve a slot before they touch
// the store, so a full queue is refused (429) without changing anything.

export interface QueueEntry {
  batchId: string;
  enqueuedAt: number;
}

export interface Reservation {
  /** Turns the reserved slot into a queued entry. */
  commit(batchId: string): void;
  /** Gives the slot back (the submission failed). */
  release(): void;
}

export interface BoundedQueue {
  readonly capacity: number;
  /** Entries waiting plus slots reserved by submissions in flight. */
  readonly size: number;
  tryReserve(): Reservation | undefined;
  /** Adds an entry even past capacity (recovery after restart, requeue after lock timeout). */
  pushForced(batchId: string): void;
  remove(batchId: string): boolean;
  /** Resolves with the next entry, or `undefined` once the queue is closed. */
  take(): Promise<QueueEntry | undefined>;
  close(): void;
}

export function createBoundedQueue(options: {
  capacity: number;
  onSizeChange?: (delta: number) => void;
  now?: () => number;
}): BoundedQueue {
  const entries: QueueEntry[] = [];
  const takers: ((entry: QueueEntry | undefined) => void)[] = [];
  const now = options.now ?? (() => performance.now());
  const onSizeChange = options.onSizeChange ?? (() => {});
  let reserved = 0;
  let closed = false;

  function enqueue(batchId: string): void {
    const entry = { batchId, enqueuedAt: now() };
    onSizeChange(1);
    const taker = takers.shift();
    if (taker) {
      onSizeChange(-1);
      taker(entry);
    } else {
      entries.push(entry);
    }
  }

  return {
    capacity: options.capacity,
    get size() {
      return entries.length + reserved;
    },
    tryReserve() {
      if (closed || entries.length + reserved >= options.capacity) return undefined;
      reserved += 1;
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        reserved -= 1;
        return true;
      };
      return {
        commit(batchId) {
          if (settle()) enqueue(batchId);
        },
        release() {
          settle();
        },
      };
    },
    pushForced(batchId) {
      if (!closed) enqueue(batchId);
    },
    remove(batchId) {
      const index = entries.findIndex((entry) => entry.batchId === batchId);
      if (index < 0) return false;
      entries.splice(index, 1);
      onSizeChange(-1);
      return true;
    },
    take() {
      // Once closed, entries stay where they are (and in the store): only work in flight finishes.
      if (closed) return Promise.resolve(undefined);
      const entry = entries.shift();
      if (entry) {
        onSizeChange(-1);
        return Promise.resolve(entry);
      }
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => takers.push(resolve));
    },
    close() {
      closed = true;
      for (const taker of takers.splice(0)) taker(undefined);
    },
  };
}
