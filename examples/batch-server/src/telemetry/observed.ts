// Telemetry backed by @ogf/observability: metrics through obs.metrics, OffGridFlow's span tree
// through obs.tracer, audit records through obs.recordStateTransition, logs through obs.logger
// (pino, with the active span's trace and span ids).
import type { Observability, tracing } from '@ogf/observability';
import type { BatchState } from '../domain/states.ts';
import type { Attributes, BatchInfo, ManualSpan, SpanScope, Telemetry } from './telemetry.ts';

type TracedSpan = tracing.TracedSpan;
type LockSpan = tracing.LockSpan;

/** The named failure recorded on a span: `error.type` comes from the error's name. */
function failure(errorType: string, message: string): Error {
  const error = new Error(message);
  error.name = errorType;
  return error;
}

function scopeOf(span: TracedSpan & { stateTransition?: (from: string, to: string) => void }): SpanScope {
  return {
    event(name, attributes) {
      if (name === 'state.transition' && span.stateTransition && attributes) {
        span.stateTransition(String(attributes.from), String(attributes.to));
      } else {
        span.event(name, attributes);
      }
    },
    setAttributes: (attributes: Attributes) => span.span.setAttributes(attributes),
    fail: (errorType, message) => span.fail(failure(errorType, message)),
  };
}

function lockScope(span: LockSpan): ManualSpan {
  let waitStarted = performance.now();
  let acquiredAt: number | undefined;
  return {
    event(name, attributes) {
      if (name === 'lock.wait') {
        waitStarted = performance.now();
        span.waiting();
      } else if (name === 'lock.acquired') {
        acquiredAt = performance.now();
        span.acquired(acquiredAt - waitStarted);
      } else if (name === 'lock.released') {
        span.released(acquiredAt === undefined ? undefined : performance.now() - acquiredAt);
      } else {
        span.event(name, attributes);
      }
    },
    setAttributes: (attributes) => span.span.setAttributes(attributes),
    fail: (errorType) => (errorType === 'lock_timeout' ? span.timedOut(performance.now() - waitStarted) : span.fail(failure(errorType, errorType))),
    end: () => span.end(),
  };
}

function batchRef(batch: BatchInfo, workerId?: string): { id: string; orgId: string; workspaceId?: string; activityCount: number; workerId?: string } {
  return {
    id: batch.batchId,
    orgId: batch.orgId,
    ...(batch.workspaceId ? { workspaceId: batch.workspaceId } : {}),
    activityCount: batch.activityCount,
    ...(workerId ? { workerId } : {}),
  };
}

export function createObservedTelemetry(obs: Observability): Telemetry {
  const { metrics, tracer } = obs;
  const logger = {
    info: (fields: Record<string, unknown>, message: string) => obs.logger.info(fields, message),
    warn: (fields: Record<string, unknown>, message: string) => obs.logger.warn(fields, message),
    error: (fields: Record<string, unknown>, message: string) => obs.logger.error(fields, message),
  };
  const submittedAt = new Map<string, number>();

  return {
    logger,
    submission: (batch, fn) => tracer.withBatchSubmission(batchRef(batch), (span) => fn(scopeOf(span))),
    processing: (batch, fn) =>
      tracer.withBatchProcessing(batchRef(batch, batch.workerId), (span) => fn(scopeOf(span)), {
        parent: tracer.extractContext(batch.carrier),
      }),
    startLock: (info) => lockScope(tracer.startLockAcquisitionSpan({ name: 'org', orgId: info.orgId, batchId: info.batchId })),
    activity: (info, fn) =>
      tracer.withActivityProcessing({ id: info.activityId, batchId: info.batchId, orgId: info.orgId, workerId: info.workerId }, (span) =>
        fn(scopeOf(span)),
      ),
    injectCarrier: () => tracer.injectContext(),

    submitted(batch, durationMs, success) {
      if (success) {
        metrics.recordBatchSubmission({ activityCount: batch.activityCount });
        submittedAt.set(batch.batchId, Date.now() - durationMs);
      }
      metrics.recordSubmitDuration({ durationMs, success });
    },
    transition(batchId: string, from: BatchState | null, to: BatchState, workerId?: string, reason?: string) {
      if (from === null) {
        // Creation is not a transition between two states: audit it in the log only.
        obs.logger.info({ event: 'batch.created', batch_id: batchId, to }, 'batch created');
        return;
      }
      obs.recordStateTransition({ batchId, from, to, ...(workerId ? { workerId } : {}), ...(reason ? { reason } : {}) });
    },
    processingStarted: () => metrics.recordBatchStarted(),
    processingFinished(batch, outcome) {
      const common = { submittedAt: Date.now() - outcome.latencyMs };
      submittedAt.delete(batch.batchId);
      if (outcome.state === 'completed') {
        metrics.recordBatchCompletion({
          ...common,
          durationMs: outcome.processingMs,
          emissionsKg: outcome.emissionsKg,
          successCount: outcome.successCount,
          errorCount: outcome.failedCount,
        });
      } else if (outcome.state === 'failed') {
        metrics.recordBatchFailure({
          ...common,
          error: outcome.errorType ?? 'other',
          ...(outcome.wasProcessing ? { durationMs: outcome.processingMs } : {}),
          successCount: outcome.successCount,
          errorCount: outcome.failedCount,
        });
      } else {
        metrics.recordBatchCancellation({ ...common, ...(outcome.wasProcessing ? { durationMs: outcome.processingMs } : {}) });
      }
    },
    activityProcessed: (success, durationMs) => metrics.recordActivityProcessing({ success, durationMs }),
    workerBusy: (_workerId, idleMs) => metrics.recordWorkerBusy({ idleMs }),
    workerIdle: (_workerId, taskMs) => metrics.recordWorkerIdle({ taskMs }),
    lockAcquired: (waitMs) => metrics.recordLockAcquisition({ lock: 'org', waitMs, acquired: true }),
    lockTimedOut: (waitMs) => metrics.recordLockAcquisition({ lock: 'org', waitMs, acquired: false }),
    queueSizeChanged(delta) {
      if (delta > 0) metrics.recordEnqueue({ count: delta });
      else if (delta < 0) metrics.recordDequeue({ count: -delta });
    },
    queueWaited: (waitMs) => metrics.recordDequeue({ count: 0, waitMs }),
    error: (errorType) => void metrics.recordError({ error: errorType }),
    retryEnded: (succeeded) => metrics.recordRetry({ succeeded }),
  };
}
