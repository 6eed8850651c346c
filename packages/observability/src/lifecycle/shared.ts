// What every lifecycle handle shares: the leaf packages' objects, the clocks, the misuse report,
// the in-process queue and worker bookkeeping, and the one way a state transition is recorded
// (metric, span event, audit record, in that order, always before the span ends).
import type { BatchMetrics } from '@ogf/metrics';
import { ATTRIBUTES, EVENT_NAMES } from '@ogf/tracing';
import type { BatchTracer, TracedSpan } from '@ogf/tracing';
import { context, diag } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { OgfError } from '../errors.js';
import type { AuditLog } from '../logger.js';
import type { LocalLocks } from './locks.js';
import { contextsPropagate } from './log-fields.js';
import type { Instant } from './types.js';

/** A marker for "no error": `undefined` can be thrown. */
export const NONE: unique symbol = Symbol('none');

/** Worker ids remembered for their idle time; more distinct ids than this and the oldest is forgotten. */
const MAX_WORKERS = 1024;

export interface Deps {
  readonly metrics: BatchMetrics;
  readonly tracer: BatchTracer;
  readonly audit: AuditLog | undefined;
  readonly clock: () => number;
  readonly now: () => number;
  readonly locks: LocalLocks;
  readonly lockTimeoutMs: number;
  readonly perBatchCounts: boolean;
  /**
   * Whether the metrics record (`metrics.enabled`). Durations feed only the metrics and the spans:
   * when neither records (no SDK), the lifecycle does not read the clock for them.
   */
  readonly metricsOn: boolean;
  /** Whether a context manager carries contexts (checked until it does, then remembered). */
  contextsPropagate(): boolean;
  /** Reports misuse or a recording problem; never throws. */
  misuse(message: string, cause?: unknown): void;
  transition(batchId: string, from: string, to: string, details: TransitionDetails): void;
  /** A batch entered the queue (tracked mode: `queue.size` +1). */
  enqueue(batchId: string): void;
  /** A batch left the queue; `queue.size` -1 only for a batch this process counted in. */
  dequeue(batchId: string): void;
  /** Batches counted into `queue.size` by this process (tracked mode), or undefined. */
  queueLevel(): number | undefined;
  /** Worker `id` took a task: how long it had been idle, if known. */
  workerBusy(workerId: string | undefined): number | undefined;
  workerIdle(workerId: string | undefined): void;
  /** A run began / ended; `idle()` resolves when none is left. */
  began(): void;
  ended(): void;
  readonly inFlight: number;
  idle(): Promise<void>;
}

export interface TransitionDetails {
  workerId?: string | undefined;
  reason?: string | undefined;
  span?: TracedSpan | undefined;
  ctx?: Context | undefined;
}

export interface DepsOptions {
  metrics: BatchMetrics;
  tracer: BatchTracer;
  audit: AuditLog | undefined;
  onError: ((error: OgfError) => void) | undefined;
  queueTracked: boolean;
  lockTimeoutMs: number;
  clock: () => number;
  now: () => number;
  locks: LocalLocks;
}

export function createDeps(options: DepsOptions): Deps {
  const { metrics, audit, now, clock, queueTracked } = options;
  const metricsOn = metrics.enabled !== false;
  const onError = options.onError ?? ((error: OgfError) => diag.warn(`@ogf/observability: ${error.message}`));
  const queued = new Set<string>();
  const idleSince = new Map<string, number>();
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  let propagates = false;
  return {
    contextsPropagate: () => (propagates ||= contextsPropagate()),
    metrics,
    tracer: options.tracer,
    audit,
    clock,
    now,
    locks: options.locks,
    lockTimeoutMs: options.lockTimeoutMs,
    perBatchCounts: metrics.activityCounts === 'per-batch',
    metricsOn,
    get inFlight() {
      return inFlight;
    },
    began() {
      inFlight += 1;
    },
    ended() {
      inFlight -= 1;
      if (inFlight > 0 || waiters.length === 0) return;
      const resolved = waiters;
      waiters = [];
      for (const resolve of resolved) resolve();
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    misuse(message, cause) {
      try {
        onError(new OgfError('ERR_OGF_LIFECYCLE_MISUSE', message, cause === undefined ? undefined : { cause }));
      } catch {
        // The hook is the user's; telemetry never throws into the host.
      }
    },
    transition(batchId, from, to, details) {
      metrics.recordStateTransition({ from, to });
      details.span?.event(EVENT_NAMES.stateTransition, { [ATTRIBUTES.stateFrom]: from, [ATTRIBUTES.stateTo]: to });
      if (audit === undefined) return;
      const record = { batchId, from, to, at: new Date(now()), workerId: details.workerId, reason: details.reason };
      // Already in that context (the run's own calls are): no second context switch.
      if (details.ctx === undefined || context.active() === details.ctx) audit.stateTransition(record);
      else context.with(details.ctx, () => audit.stateTransition(record));
    },
    enqueue(batchId) {
      if (!queueTracked || queued.has(batchId)) return;
      queued.add(batchId);
      metrics.recordEnqueue();
    },
    dequeue(batchId) {
      if (!queueTracked || !queued.delete(batchId)) return;
      metrics.recordDequeue();
    },
    queueLevel: () => (queueTracked ? queued.size : undefined),
    // The idle time only feeds `worker.idle.duration`: without metrics there is nothing to keep.
    workerBusy(workerId) {
      if (workerId === undefined || !metricsOn) return undefined;
      const since = idleSince.get(workerId);
      return since === undefined ? undefined : Math.max(0, clock() - since);
    },
    workerIdle(workerId) {
      if (workerId === undefined || !metricsOn) return;
      idleSince.delete(workerId);
      if (idleSince.size >= MAX_WORKERS) idleSince.delete(idleSince.keys().next().value as string);
      idleSince.set(workerId, clock());
    },
  };
}

/** Epoch milliseconds of an instant; undefined for anything that is not a valid time. */
export function epochMs(at: Instant | undefined): number | undefined {
  if (at === undefined) return undefined;
  const ms = at instanceof Date ? at.getTime() : at;
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** A promise rejected with exactly what was thrown: your callbacks' errors come back unchanged. */
export function rejected<T>(error: unknown): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's own thrown value, passed through as is
  return Promise.reject(error);
}
