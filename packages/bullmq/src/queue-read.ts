// Reading a queue's state from Redis: job counts by state and the age of the oldest waiting job,
// bounded by a timeout so a scrape or a health probe never hangs on an unreachable Redis.
import type { Queue } from 'bullmq';

/** The job states `bullmq.queue.jobs` reports, as BullMQ's `getJobCounts` names them. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children', 'paused'] as const;

/** What is read from a queue. */
export interface QueueReading {
  counts: Record<(typeof QUEUE_STATES)[number], number>;
  /** Seconds since the oldest job in the waiting list became ready (its timestamp plus delay); 0 when none waits. */
  oldestWaitingAgeSeconds: number;
}

/** The part of a Queue that is read. */
export type ReadableQueue = Pick<Queue, 'name' | 'getJobCounts' | 'getJobs'>;

/** Rejects with a timeout error after `ms`, clearing its timer either way. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads the counts and the oldest waiting job in two Redis round trips. */
export async function readQueue(queue: ReadableQueue, now: number): Promise<QueueReading> {
  const [counts, oldest] = await Promise.all([
    queue.getJobCounts(...(QUEUE_STATES as unknown as Parameters<ReadableQueue['getJobCounts']>)),
    // The waiting list's oldest end: ascending order, first entry.
    queue.getJobs(['wait'], 0, 0, true),
  ]);
  const job = oldest[0];
  let age = 0;
  if (job !== undefined && typeof job.timestamp === 'number') {
    const readyAt = job.timestamp + (typeof job.opts?.delay === 'number' ? job.opts.delay : 0);
    age = Math.max(0, (now - readyAt) / 1000);
  }
  const full = {} as QueueReading['counts'];
  for (const state of QUEUE_STATES) full[state] = counts[state] ?? 0;
  return { counts: full, oldestWaitingAgeSeconds: age };
}
