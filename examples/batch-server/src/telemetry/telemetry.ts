// What the batch processor needs from its instrumentation: the lifecycle API of
// @ogf/observability (one call per step records metrics, spans, audit records and log fields),
// a logger, and the three things no lifecycle step covers.
import type { BatchLifecycle } from '@ogf/observability';
import type { BatchState } from '../domain/states.ts';

export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface Telemetry {
  /** `submit`, `process` (with `run.lock` and `run.activity`) and `cancelQueued`. */
  readonly batches: BatchLifecycle;
  /** JSON lines; inside a batch or activity they carry its ids and the trace ids. */
  readonly logger: Logger;
  /** `queue.size`, read from the queue itself after each change. */
  setQueueSize(size: number): void;
  /** A transition made outside any lifecycle step (recovery after a restart): metric and audit record. */
  recordTransition(batchId: string, from: BatchState, to: BatchState, reason: string): void;
  /** A failure outside any batch (a worker task threw). */
  recordError(error: unknown): void;
}

/** An error whose name is its type: `error.type` on spans and the `error_type` of metrics agree. */
export function typedError(errorType: string, message: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = errorType;
  return error;
}
