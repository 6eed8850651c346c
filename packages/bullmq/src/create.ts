// createBullMQObservability: BullMQ's extension points (its `telemetry` option, worker events,
// `getJobCounts`) into an `Observability`: the processor wrapper and `submit` drive the batch
// lifecycle, `observe` adds queue gauges, job-event metrics and health checks.
import type { SubmitRef } from '@ogf/observability';
import type { Context } from '@opentelemetry/api';
import type { JobsOptions, Queue, Telemetry, Worker } from 'bullmq';
import { createJobMeter } from './job-meter.js';
import { normalize } from './options.js';
import type { BullMQObservabilityOptions, ObserveQueueOptions, ObserveWorkerOptions } from './options.js';
import { wrapProcessor } from './processor.js';
import type { BatchProcessor, ProcessorOptions, WrappedProcessor } from './processor.js';
import { createQueueGauges } from './queue-gauges.js';
import { backlogCheck, redisCheck } from './queue-health.js';
import { submitJob } from './submit.js';
import type { JobDataOf, JobNameOf, SubmitQueue } from './submit.js';
import { createTelemetry } from './telemetry.js';
import { workerCheck } from './worker-health.js';
import { watchWorker } from './worker-watch.js';

/** What `observe` returns: `close()` removes its gauges, listeners and health checks. */
export interface Observation {
  close(): void;
}

/** What `createBullMQObservability` returns. */
export interface BullMQObservability {
  /** BullMQ's `Telemetry` (tracer, context manager, meter): pass as `telemetry` to `Queue`, `Worker`, `FlowProducer`. */
  readonly telemetry: Telemetry<Context>;
  /** Wraps `(job, run) => result` so every job runs in `obs.batches.process` with its run handle. */
  processor<T = unknown, R = unknown, N extends string = string>(
    fn: BatchProcessor<T, R, N>,
    options?: ProcessorOptions<T, R, N>,
  ): WrappedProcessor<T, R, N>;
  /** `obs.batches.submit` around `queue.add`: the job carries the `batch.submission` trace context. Resolves to the job. */
  submit<Q extends SubmitQueue>(
    queue: Q,
    ref: SubmitRef,
    name: JobNameOf<Q>,
    data: JobDataOf<Q>,
    jobOptions?: JobsOptions,
  ): ReturnType<Q['add']>;
  /** A queue: collect-time gauges and health checks. A worker: job-event metrics and a health check. */
  observe(target: Queue, options?: ObserveQueueOptions): Observation;
  observe(target: Worker, options?: ObserveWorkerOptions): Observation;
  /** Closes every observation (gauges, listeners, health checks). Queues and workers stay yours to close. */
  close(): void;
}

function isWorker(target: Queue | Worker): target is Worker {
  return typeof (target as Worker).isRunning === 'function' && typeof (target as Queue).getJobCounts !== 'function';
}

/**
 * Observability for BullMQ on top of `createObservability()`: pass `telemetry` to your queues and
 * workers, wrap your processor, and observe the queue and the worker.
 *
 * @example
 * ```ts
 * const bull = createBullMQObservability({ obs });
 * const queue = new Queue('batches', { connection, telemetry: bull.telemetry });
 * const worker = new Worker('batches', bull.processor(async (job, run) => compute(job.data, run)), { connection, telemetry: bull.telemetry });
 * bull.observe(queue, { thresholds: { oldestWaitingAgeSeconds: { degradedAbove: 60 } } });
 * bull.observe(worker);
 * await bull.submit(queue, { id: 'b-1', orgId: 'org-1', activityCount: 3 }, 'batch', { batchId: 'b-1', orgId: 'org-1' });
 * ```
 */
export function createBullMQObservability(options: BullMQObservabilityOptions): BullMQObservability {
  const settings = normalize(options);
  const { obs, report, now } = settings;
  const meter = obs.meterProvider.getMeter(settings.scopeName, settings.scopeVersion);
  const telemetry = createTelemetry({
    tracerProvider: obs.tracerProvider,
    meter: settings.jobMetrics ? createJobMeter(meter) : undefined,
    scopeName: settings.scopeName,
    scopeVersion: settings.scopeVersion,
    report,
  });
  const gauges = createQueueGauges(meter, report, settings.collectTimeoutMs, now);
  const wrapped = new WeakSet<object>();
  const track = (job: object): void => void wrapped.add(job);
  const observations = new Set<Observation>();
  const checkNames = new Set<string>();

  const uniqueName = (base: string): string => {
    let name = base;
    for (let n = 2; checkNames.has(name); n += 1) name = `${base}-${n}`;
    checkNames.add(name);
    return name;
  };
  const register = (names: string[], ...checks: Parameters<typeof obs.health.register>[]): void => {
    for (const [name, check, registerOptions] of checks) {
      obs.health.register(name, check, registerOptions);
      names.push(name);
    }
  };
  const unregister = (names: string[]): void => {
    for (const name of names) {
      obs.health.unregister(name);
      checkNames.delete(name);
    }
  };

  const observeQueue = (queue: Queue, opts: ObserveQueueOptions): Observation => {
    const prefix = opts.checkName ?? `bullmq:${queue.name}`;
    const names: string[] = [];
    const backlog = opts.health === false ? undefined : backlogCheck(queue, opts.thresholds ?? {}, now);
    const removeGauges = opts.gauges === false ? undefined : gauges.add(queue);
    if (backlog !== undefined) {
      register(
        names,
        [uniqueName(`${prefix}:redis`), redisCheck(queue)],
        [uniqueName(`${prefix}:backlog`), backlog, { critical: opts.backlogCritical ?? false }],
      );
    }
    return {
      close: () => {
        removeGauges?.();
        unregister(names);
      },
    };
  };

  const observeWorker = (worker: Worker, opts: ObserveWorkerOptions): Observation => {
    const watch = watchWorker(worker, { meter, metrics: obs.metrics, wrapped: (job) => wrapped.has(job), now });
    const names: string[] = [];
    if (opts.health !== false) {
      const check = workerCheck(worker, watch, opts, now);
      register(names, [uniqueName(opts.checkName ?? `bullmq:${worker.name}:worker`), check]);
    }
    return {
      close: () => {
        watch.close();
        unregister(names);
      },
    };
  };

  return {
    telemetry,
    processor: (fn, processorOptions = {}) => wrapProcessor(obs.batches, report, fn, processorOptions, track),
    submit: (queue, ref, name, data, jobOptions) => submitJob(obs.batches, queue, ref, name, data, jobOptions),
    observe(target: Queue | Worker, observeOptions: ObserveQueueOptions | ObserveWorkerOptions = {}): Observation {
      const observation = isWorker(target) ? observeWorker(target, observeOptions) : observeQueue(target, observeOptions);
      const tracked: Observation = {
        close: () => {
          if (!observations.delete(tracked)) return;
          observation.close();
        },
      };
      observations.add(tracked);
      return tracked;
    },
    close() {
      for (const observation of [...observations]) observation.close();
      gauges.close();
    },
  };
}
