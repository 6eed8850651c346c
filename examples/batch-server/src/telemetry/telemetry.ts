// The one seam between the batch processor and its instrumentation. The processor calls these
// methods and nothing else; `createNoopTelemetry()` is used when no observability is wired.
import type { BatchState } from '../domain/states.ts';

export type Attributes = Record<string, string | number | boolean>;

/** A span the processor can annotate; `event` adds a span event. */
export interface SpanScope {
  event(name: string, attributes?: Attributes): void;
  setAttributes(attributes: Attributes): void;
  /** Marks the span as failed (status ERROR, `error.type`) without throwing. */
  fail(errorType: string, message: string): void;
}

/** A span started by hand and ended by `end()`; it does not become the active span. */
export interface ManualSpan extends SpanScope {
  end(): void;
}

export interface BatchInfo {
  batchId: string;
  orgId: string;
  workspaceId: string | null;
  activityCount: number;
}

export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface BatchOutcome {
  state: 'completed' | 'failed' | 'cancelled';
  /** False when the batch ended without reaching `processing` (cancelled or failed in the queue). */
  wasProcessing: boolean;
  /** Time from processing start to finish. */
  processingMs: number;
  /** Time from submission to finish. */
  latencyMs: number;
  successCount: number;
  failedCount: number;
  emissionsKg: number;
  errorType?: string;
}

export interface Telemetry {
  readonly logger: Logger;

  // Spans. Each runs `fn` with its span active, ends it once, records a throw and rethrows.
  submission<T>(batch: BatchInfo, fn: (span: SpanScope) => Promise<T>): Promise<T>;
  processing<T>(batch: BatchInfo & { workerId: string; carrier: Record<string, string> }, fn: (span: SpanScope) => Promise<T>): Promise<T>;
  /** `lock.acquisition`, started before waiting and ended after release (events lock.wait, lock.acquired, lock.released). */
  startLock(info: { batchId: string; orgId: string; workerId: string }): ManualSpan;
  activity<T>(info: { batchId: string; orgId: string; activityId: string; workerId: string }, fn: (span: SpanScope) => Promise<T>): Promise<T>;
  /** W3C trace context of the active span, to store with the batch. */
  injectCarrier(): Record<string, string>;

  // Metrics (and audit logs). Never throw.
  submitted(batch: BatchInfo, durationMs: number, success: boolean): void;
  transition(batchId: string, from: BatchState | null, to: BatchState, workerId?: string, reason?: string): void;
  processingStarted(batch: BatchInfo): void;
  processingFinished(batch: BatchInfo, outcome: BatchOutcome): void;
  activityProcessed(success: boolean, durationMs: number, emissionsKg: number): void;
  workerBusy(workerId: string, idleMs: number): void;
  workerIdle(workerId: string, taskMs: number): void;
  lockAcquired(waitMs: number): void;
  lockTimedOut(waitMs: number): void;
  queueSizeChanged(delta: number): void;
  queueWaited(waitMs: number): void;
  error(errorType: string): void;
  /** A retry attempt (an attempt after the first) ended, successfully or not. */
  retryEnded(succeeded: boolean): void;
}

const noopSpan: ManualSpan = { event() {}, setAttributes() {}, fail() {}, end() {} };

export function createJsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const emit = (level: string) => (fields: Record<string, unknown>, message: string) => {
    write(JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields }));
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Telemetry that records nothing (logs still go to the given logger). */
export function createNoopTelemetry(logger: Logger = createJsonLogger()): Telemetry {
  const run = <T>(_info: unknown, fn: (span: SpanScope) => Promise<T>): Promise<T> => fn(noopSpan);
  const nothing = (): void => {};
  return {
    logger,
    submission: run,
    processing: run,
    startLock: () => noopSpan,
    activity: run,
    injectCarrier: () => ({}),
    submitted: nothing,
    transition: nothing,
    processingStarted: nothing,
    processingFinished: nothing,
    activityProcessed: nothing,
    workerBusy: nothing,
    workerIdle: nothing,
    lockAcquired: nothing,
    lockTimedOut: nothing,
    queueSizeChanged: nothing,
    queueWaited: nothing,
    error: nothing,
    retryEnded: nothing,
  };
}
