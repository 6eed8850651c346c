// A fixed pool of workers, each taking one batch at a time from the queue.
import type { BoundedQueue, QueueEntry } from './bounded-queue.ts';

export interface WorkerHooks {
  /** A worker picked up a task after being idle for `idleMs`. */
  onBusy?(workerId: string, idleMs: number): void;
  /** A worker finished a task that took `taskMs`. */
  onIdle?(workerId: string, taskMs: number): void;
  onTaskError?(workerId: string, error: unknown): void;
}

export interface WorkerPool {
  readonly size: number;
  readonly active: number;
  start(): void;
  /** Stops taking new work and resolves when the tasks in flight have finished. */
  drain(): Promise<void>;
}

export function createWorkerPool(options: {
  size: number;
  queue: BoundedQueue;
  handle: (entry: QueueEntry, workerId: string) => Promise<void>;
  hooks?: WorkerHooks;
}): WorkerPool {
  const hooks = options.hooks ?? {};
  let active = 0;
  let loops: Promise<void>[] = [];

  async function loop(workerId: string): Promise<void> {
    let idleSince = performance.now();
    for (;;) {
      const entry = await options.queue.take();
      if (!entry) return;
      const started = performance.now();
      active += 1;
      hooks.onBusy?.(workerId, started - idleSince);
      try {
        await options.handle(entry, workerId);
      } catch (error) {
        hooks.onTaskError?.(workerId, error);
      } finally {
        active -= 1;
        idleSince = performance.now();
        hooks.onIdle?.(workerId, idleSince - started);
      }
    }
  }

  return {
    size: options.size,
    get active() {
      return active;
    },
    start() {
      if (loops.length > 0) return;
      loops = Array.from({ length: options.size }, (_, index) => loop(`worker-${index + 1}`));
    },
    async drain() {
      options.queue.close();
      await Promise.all(loops);
    },
  };
}
