import type { Meter } from '@opentelemetry/api';
import { createNoopMeter, metrics } from '@opentelemetry/api';
import { createAttributeSets } from './attribute-sets.js';
import { OgfError } from './errors.js';
import type { DropReason } from './guard.js';
import { createGuard, MAX_EMISSIONS_KG } from './guard.js';
import { createInstruments } from './instruments.js';
import { createOnceReporter, FlooredLevel } from './levels.js';
import { createNoopBatchMetrics } from './noop.js';
import type { AttributeSet } from './series.js';
import type { Settings } from './settings.js';
import { normaliseOptions } from './settings.js';
import type { BatchMetrics, BatchMetricsOptions, SubmittedAt } from './types.js';

const SUCCESS = { success: true } as const;
const FAILURE = { success: false } as const;
const COMPLETED = { outcome: 'completed' } as const;
const FAILED = { outcome: 'failed' } as const;
const CANCELLED = { outcome: 'cancelled' } as const;
const DROP_SETS: Record<DropReason, AttributeSet> = {
  nan: { attributes: { reason: 'nan' } },
  infinite: { attributes: { reason: 'infinite' } },
  negative: { attributes: { reason: 'negative' } },
  not_a_number: { attributes: { reason: 'not_a_number' } },
  too_large: { attributes: { reason: 'too_large' } },
};

function isNoopMeter(meter: Meter): boolean {
  return meter instanceof (createNoopMeter().constructor as new () => Meter);
}

/**
 * Creates the batch metrics on the OpenTelemetry Meter API: the MeterProvider you pass, or the
 * one registered globally (create it after registering). Without one, every call is a no-op.
 * Throws an `OgfError` (code `ERR_OGF_INVALID_OPTION`) for invalid options; recording never throws.
 *
 * @example
 * ```ts
 * const batchMetrics = createBatchMetrics({ meterProvider, workerCapacity: 8 });
 * batchMetrics.recordBatchSubmission({ activityCount: 120 });
 * batchMetrics.recordBatchCompletion({ durationMs: 5400, emissionsKg: 812.5 });
 * ```
 */
export function createBatchMetrics(options: BatchMetricsOptions = {}): BatchMetrics {
  const settings = normaliseOptions(options);
  const provider = options.meterProvider ?? metrics.getMeterProvider();
  const meter = provider.getMeter(settings.scopeName, settings.scopeVersion);
  if (isNoopMeter(meter)) return createNoopBatchMetrics(settings);
  return createRecordingBatchMetrics(meter, settings);
}

function createRecordingBatchMetrics(meter: Meter, settings: Settings): BatchMetrics {
  const m = createInstruments(meter, settings.recording);
  const guard = createGuard(settings.onError, (reason) => m.dropped.add(1, DROP_SETS[reason]));
  const sets = createAttributeSets(settings, guard.report);
  const errorCounts = new Map<string, number>();
  const { classifier, now, perBatchActivities } = settings;
  if (settings.workerCapacity !== undefined) m.capacity.set(settings.workerCapacity);

  const warnOnce = createOnceReporter(guard.report);
  const processing = new FlooredLevel(m.processing, (operation) =>
    warnOnce(
      'processing',
      `${operation}: no batch is processing, so batch.processing was not decremented; call recordBatchStarted() when a worker starts a batch`,
    ),
  );
  const workers = new FlooredLevel(m.workersActive, (operation) =>
    warnOnce('workers', `${operation}: no worker is busy, so workers.active was not decremented; pair it with recordWorkerBusy()`),
  );
  const queued = new FlooredLevel(m.queueSize, (operation, wanted, had) =>
    warnOnce(
      'queue',
      `${operation}: the queue holds ${had} here, so queue.size was decremented by ${had} instead of ${wanted}; when another process enqueues, set the size with setQueueSize() from the queue itself`,
    ),
  );

  const fail = (operation: string, error: unknown): void =>
    guard.report(new OgfError('ERR_OGF_RECORDING', `${operation} could not record: ${String(error)}`, { cause: error }));

  const seconds = (operation: string, field: string, ms: unknown): number | undefined => {
    const value = guard.check(ms, operation, field);
    return value === undefined ? undefined : value / 1000;
  };

  const latency = (
    operation: string,
    submittedAt: SubmittedAt | undefined,
    outcome: typeof COMPLETED | typeof FAILED | typeof CANCELLED,
  ): void => {
    if (submittedAt === undefined) return;
    const start = submittedAt instanceof Date ? submittedAt.getTime() : submittedAt;
    const value = seconds(operation, 'submittedAt (latency)', now() - start);
    if (value !== undefined) m.latency.record(value, outcome);
  };

  const countActivities = (operation: string, successCount: unknown, errorCount: unknown): void => {
    if (!perBatchActivities) {
      if (successCount !== undefined || errorCount !== undefined) {
        warnOnce(
          'ignored-counts',
          `${operation}: successCount/errorCount are ignored under activityCounts 'per-activity' (the default), where recordActivityProcessing moves the activity counters; pass activityCounts: 'per-batch' to count them here instead`,
        );
      }
      return;
    }
    const ok = successCount === undefined ? 0 : guard.check(successCount, operation, 'successCount');
    const bad = errorCount === undefined ? 0 : guard.check(errorCount, operation, 'errorCount');
    if (ok !== undefined) m.activitySuccess.add(ok);
    if (bad !== undefined) m.activityFailed.add(bad);
    m.activities.add((ok ?? 0) + (bad ?? 0));
  };

  // Ends a batch that was processing: batch.processing -1 and its duration, by outcome.
  const endProcessing = (operation: string, durationMs: unknown, outcome: typeof COMPLETED | typeof FAILED | typeof CANCELLED): void => {
    processing.down(operation);
    const value = seconds(operation, 'durationMs', durationMs);
    if (value !== undefined) m.processingDuration.record(value, outcome);
  };

  const api: BatchMetrics = {
    enabled: true,
    scopeName: settings.scopeName,
    activityCounts: perBatchActivities ? 'per-batch' : 'per-activity',

    recordBatchSubmission(o) {
      try {
        m.submitted.add(1);
        const count = guard.check(o.activityCount, 'recordBatchSubmission', 'activityCount');
        if (count !== undefined) m.batchSize.record(count);
      } catch (error) {
        fail('recordBatchSubmission', error);
      }
    },

    recordSubmitDuration(o) {
      try {
        const value = seconds('recordSubmitDuration', 'durationMs', o.durationMs);
        if (value !== undefined) m.submitDuration.record(value, o.success === true ? SUCCESS : FAILURE);
      } catch (error) {
        fail('recordSubmitDuration', error);
      }
    },

    recordBatchStarted() {
      processing.up();
    },

    recordBatchRequeued() {
      processing.down('recordBatchRequeued');
    },

    recordBatchCompletion(o) {
      try {
        m.completed.add(1);
        endProcessing('recordBatchCompletion', o.durationMs, COMPLETED);
        // Kilograms in, grams out: grams are Prometheus' base unit of mass. Absent: nothing recorded.
        const kg =
          o.emissionsKg === undefined ? undefined : guard.check(o.emissionsKg, 'recordBatchCompletion', 'emissionsKg', MAX_EMISSIONS_KG);
        if (kg !== undefined) {
          m.emissions.add(kg * 1000);
          m.emissionsPerBatch.record(kg * 1000);
        }
        countActivities('recordBatchCompletion', o.successCount, o.errorCount);
        m.lastSuccess.set(now() / 1000);
        latency('recordBatchCompletion', o.submittedAt, COMPLETED);
      } catch (error) {
        fail('recordBatchCompletion', error);
      }
    },

    recordBatchFailure(o) {
      try {
        const type = classifier.classify(o.error);
        m.failed.add(1, sets.errorType(type));
        if (o.durationMs !== undefined) endProcessing('recordBatchFailure', o.durationMs, FAILED);
        countActivities('recordBatchFailure', o.successCount, o.errorCount);
        latency('recordBatchFailure', o.submittedAt, FAILED);
        return type;
      } catch (error) {
        fail('recordBatchFailure', error);
        return 'other';
      }
    },

    recordBatchCancellation(o) {
      try {
        m.cancelled.add(1);
        if (o?.durationMs !== undefined) endProcessing('recordBatchCancellation', o.durationMs, CANCELLED);
        latency('recordBatchCancellation', o?.submittedAt, CANCELLED);
      } catch (error) {
        fail('recordBatchCancellation', error);
      }
    },

    recordActivityProcessing(o) {
      try {
        const success = o.success === true;
        if (!perBatchActivities) {
          m.activities.add(1);
          (success ? m.activitySuccess : m.activityFailed).add(1);
        }
        const value = seconds('recordActivityProcessing', 'durationMs', o.durationMs);
        if (value !== undefined) m.activityDuration.record(value, success ? SUCCESS : FAILURE);
      } catch (error) {
        fail('recordActivityProcessing', error);
      }
    },

    recordWorkerBusy(o) {
      try {
        workers.up();
        if (o?.idleMs === undefined) return;
        const value = seconds('recordWorkerBusy', 'idleMs', o.idleMs);
        if (value !== undefined) m.idleDuration.record(value);
      } catch (error) {
        fail('recordWorkerBusy', error);
      }
    },

    recordWorkerIdle(o) {
      try {
        workers.down('recordWorkerIdle');
        if (o?.taskMs === undefined) return;
        const value = seconds('recordWorkerIdle', 'taskMs', o.taskMs);
        if (value !== undefined) m.taskDuration.record(value);
      } catch (error) {
        fail('recordWorkerIdle', error);
      }
    },

    setWorkerCapacity(capacity) {
      const value = guard.check(capacity, 'setWorkerCapacity', 'capacity');
      if (value !== undefined) m.capacity.set(value);
    },

    recordLockAcquisition(o) {
      try {
        const lock = sets.lock(o.lock);
        const acquired = o.acquired === true;
        (acquired ? m.lockAcquisitions : m.lockTimeouts).add(1, lock.counter);
        const value = seconds('recordLockAcquisition', 'waitMs', o.waitMs);
        if (value !== undefined) m.lockWait.record(value, (acquired ? lock.acquired : lock.timedOut).attributes);
      } catch (error) {
        fail('recordLockAcquisition', error);
      }
    },

    recordEnqueue(o) {
      try {
        const count = o?.count === undefined ? 1 : guard.check(o.count, 'recordEnqueue', 'count');
        if (count !== undefined) queued.up(count);
      } catch (error) {
        fail('recordEnqueue', error);
      }
    },

    recordDequeue(o) {
      try {
        const count = o?.count === undefined ? 1 : guard.check(o.count, 'recordDequeue', 'count');
        if (count !== undefined) queued.down('recordDequeue', count);
        if (o?.waitMs === undefined) return;
        const value = seconds('recordDequeue', 'waitMs', o.waitMs);
        if (value !== undefined) m.queueWait.record(value);
      } catch (error) {
        fail('recordDequeue', error);
      }
    },

    recordQueueWait(o) {
      try {
        const value = seconds('recordQueueWait', 'waitMs', o.waitMs);
        if (value !== undefined) m.queueWait.record(value);
      } catch (error) {
        fail('recordQueueWait', error);
      }
    },

    setQueueSize(size) {
      const value = guard.check(size, 'setQueueSize', 'size');
      if (value !== undefined) queued.set(value);
    },

    recordError(o) {
      try {
        const type = classifier.classify(o.error);
        m.errors.add(1, sets.errorType(type));
        errorCounts.set(type, (errorCounts.get(type) ?? 0) + 1);
        return type;
      } catch (error) {
        fail('recordError', error);
        return 'other';
      }
    },

    recordRetry(o) {
      try {
        m.retries.add(1);
        if (o.succeeded === true) m.retriesSuccess.add(1);
      } catch (error) {
        fail('recordRetry', error);
      }
    },

    recordStateTransition(o) {
      try {
        m.transitions.add(1, sets.transition(o.from, o.to));
      } catch (error) {
        fail('recordStateTransition', error);
      }
    },

    classifyError: (error) => classifier.classify(error),
    errorsByType: () => Object.fromEntries(errorCounts),
  };
  return api;
}
