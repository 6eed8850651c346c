// createBatchLifecycle: one call per lifecycle step, driving @ogf/metrics, @ogf/tracing and the
// audit trail together. `obs.batches` is this, pre-wired by createObservability.
import { context } from '@opentelemetry/api';
import { OgfError } from '../errors.js';
import { createAuditLog } from '../logger.js';
import { createLocalLocks } from './locks.js';
import { BatchRunHandle } from './run.js';
import { NONE, createDeps, epochMs, isThenable, rejected } from './shared.js';
import { SubmissionHandle } from './submission.js';
import type { BatchCompletion, BatchLifecycle, BatchLifecycleOptions, BatchRun, ProcessOptions, ProcessRef } from './types.js';

function invalid(message: string): OgfError {
  return new OgfError('ERR_OGF_INVALID_OPTION', `createBatchLifecycle: ${message}`);
}

function monotonic(perf: { now(): number }): () => number {
  return () => perf.now();
}

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalid(`${name} must be a function, got ${typeof value}`);
  return value;
}

/**
 * The batch lifecycle API on the leaf packages' objects: `submit`, `process`, `run.activity` and
 * `run.lock` each record metrics, spans, audit records and log fields in one call. Throws an
 * `OgfError` for invalid options; recording never throws, misuse goes to `onError`.
 *
 * @example
 * ```ts
 * const batches = createBatchLifecycle({ metrics: createBatchMetrics(), tracer: createBatchTracer(), logger });
 * const kg = await batches.process({ id: 'b-1', orgId: 'org-1', workerId: 'w-1' }, (run) =>
 *   run.lock('org', async () => run.activity({ id: 'a-1' }, (act) => act.calculated({ emissionsKg: 480 }))),
 * );
 * ```
 */
export function createBatchLifecycle(options: BatchLifecycleOptions): BatchLifecycle {
  if (typeof options !== 'object' || options === null) throw invalid(`options must be an object, got ${String(options)}`);
  const { metrics, tracer, logger } = options;
  if (typeof metrics?.recordBatchStarted !== 'function') throw invalid('metrics must be a BatchMetrics from createBatchMetrics()');
  if (typeof tracer?.startBatchProcessingSpan !== 'function') throw invalid('tracer must be a BatchTracer from createBatchTracer()');
  const queue = options.queue ?? 'tracked';
  if (queue !== 'tracked' && queue !== 'external') throw invalid(`queue must be 'tracked' or 'external', got ${JSON.stringify(queue)}`);
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  if (!(typeof lockTimeoutMs === 'number' && lockTimeoutMs > 0 && lockTimeoutMs <= 2_147_483_647)) {
    throw invalid(`lockTimeoutMs must be a number of milliseconds from 1 to 2147483647, got ${String(lockTimeoutMs)}`);
  }
  const deps = createDeps({
    metrics,
    tracer,
    audit: options.audit ?? (logger === undefined ? undefined : createAuditLog(logger)),
    onError: optionalFunction('onError', options.onError),
    queueTracked: queue === 'tracked',
    lockTimeoutMs,
    // `performance` read once: on Node the global is an accessor, read on every use otherwise.
    clock: optionalFunction('clock', options.clock) ?? monotonic(performance),
    now: optionalFunction('now', options.now) ?? Date.now,
    locks: createLocalLocks(),
  });

  return {
    async submit(ref, fn) {
      const sub = new SubmissionHandle(deps, ref);
      let result;
      try {
        result = await context.with(sub.context, fn, undefined, sub);
      } catch (error) {
        sub.fail(error);
        throw error;
      }
      sub.queued();
      return result;
    },

    startSubmission: (ref) => new SubmissionHandle(deps, ref),

    // Not an async function: a callback that returns at once costs no promise of its own, and
    // one that returns a promise costs one `then`, not an async frame and an await.
    process<T>(ref: ProcessRef, fn: (run: BatchRun) => T | Promise<T>, processOptions?: ProcessOptions<T>): Promise<T> {
      const run = new BatchRunHandle(deps, ref, processOptions?.signal);
      const completed = (value: T): T => {
        let completion: BatchCompletion | undefined;
        if (processOptions?.result !== undefined) {
          try {
            completion = processOptions.result(value);
          } catch (error) {
            deps.misuse(`process(): options.result threw (${String(error)}); the batch completes with its activities' tally`, error);
          }
        }
        run.finish(NONE, completion);
        return value;
      };
      const failed = (error: unknown): never => {
        run.finish(error, undefined);
        throw error;
      };
      let result: T | Promise<T>;
      try {
        result = context.with(run.childOptions.parent, fn, undefined, run);
      } catch (error) {
        run.finish(error, undefined);
        return rejected(error);
      }
      if (!isThenable(result)) return Promise.resolve(completed(result));
      return Promise.resolve(result).then(completed, failed);
    },

    startProcessing: (ref, startOptions) => new BatchRunHandle(deps, ref, startOptions?.signal),

    cancelQueued(ref, reason) {
      deps.dequeue(ref.id);
      deps.transition(ref.id, 'queued', 'cancelled', { workerId: ref.workerId, reason });
      metrics.recordBatchCancellation({ submittedAt: epochMs(ref.submittedAt) });
    },

    get inFlight() {
      return deps.inFlight;
    },

    idle: () => deps.idle(),
  };
}
