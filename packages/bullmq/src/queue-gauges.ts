// Queue gauges read from the queue at collect time, so every process observing a queue reports
// the same value: `bullmq.queue.jobs{queue,state}` and `bullmq.queue.oldest_waiting.age{queue}` (s).
// Aggregate them across instances with `max by (queue)`, never `sum`. One batch callback serves
// every observed queue; a queue that cannot be read in time is reported and gets no new reading
// in that collection (the SDK keeps reporting its last one), so a scrape never waits on Redis.
import type { BatchObservableResult, Meter, ObservableGauge } from '@opentelemetry/api';
import { OgfError } from './errors.js';
import type { Report } from './errors.js';
import { QUEUE_STATES, readQueue, withTimeout } from './queue-read.js';
import type { ReadableQueue } from './queue-read.js';

/** OTel names of the queue gauges. */
export const QUEUE_JOBS_GAUGE = 'bullmq.queue.jobs';
export const QUEUE_OLDEST_WAITING_GAUGE = 'bullmq.queue.oldest_waiting.age';

export interface QueueGauges {
  add(queue: ReadableQueue): () => void;
  close(): void;
}

export function createQueueGauges(meter: Meter, report: Report, timeoutMs: number, now: () => number): QueueGauges {
  const queues = new Set<ReadableQueue>();
  let jobs: ObservableGauge | undefined;
  let oldest: ObservableGauge | undefined;

  const callback = async (result: BatchObservableResult): Promise<void> => {
    await Promise.all(
      [...queues].map(async (queue) => {
        try {
          const reading = await withTimeout(readQueue(queue, now()), timeoutMs, `reading queue ${queue.name}`);
          for (const state of QUEUE_STATES) result.observe(jobs!, reading.counts[state], { queue: queue.name, state });
          result.observe(oldest!, reading.oldestWaitingAgeSeconds, { queue: queue.name });
        } catch (error) {
          report(
            new OgfError(
              'ERR_OGF_BULLMQ_COLLECT',
              `queue ${queue.name}: its gauges could not be read (${String(error)}); no new reading in this collection`,
              {
                cause: error,
              },
            ),
          );
        }
      }),
    );
  };

  const register = (): void => {
    jobs = meter.createObservableGauge(QUEUE_JOBS_GAUGE, {
      description: 'Jobs in the queue by state, read from Redis at collect time; the same in every process: aggregate with max by (queue).',
      unit: '{job}',
    });
    oldest = meter.createObservableGauge(QUEUE_OLDEST_WAITING_GAUGE, {
      description:
        'Age of the oldest job waiting in the queue (0 when none waits), read from Redis at collect time; aggregate with max by (queue).',
      unit: 's',
    });
    meter.addBatchObservableCallback(callback, [jobs, oldest]);
  };

  return {
    add(queue) {
      if (jobs === undefined) register();
      queues.add(queue);
      return () => void queues.delete(queue);
    },
    close() {
      queues.clear();
      if (jobs !== undefined && oldest !== undefined) meter.removeBatchObservableCallback(callback, [jobs, oldest]);
      // A later add() registers the callback again.
      jobs = undefined;
      oldest = undefined;
    },
  };
}
