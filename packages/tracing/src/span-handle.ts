// One small class behind all four handle interfaces: a monomorphic shape keeps the hot path
// cheap, and the `recording` flag captured at start lets every method skip work (attribute
// objects, redaction) when nothing records the span.
import { SpanStatusCode, createContextKey, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { OgfError } from './errors.js';
import { toSafeError } from './exception.js';
import { ATTRIBUTES, EVENT_NAMES } from './names.js';
import type { ActivitySpan, BatchResult, LockSpan, ProcessingSpan, SubmissionSpan } from './types.js';

export const SUBMISSION = 0;
export const PROCESSING = 1;
export const ACTIVITY = 2;
export const LOCK = 3;
export type SpanKindCode = typeof SUBMISSION | typeof PROCESSING | typeof ACTIVITY | typeof LOCK;

const noLate = (): void => undefined;

/** Inside a lock span's context: the lock span and the context it was started in. */
export const LOCK_SCOPE: symbol = createContextKey('ogf.tracing.lock-scope');
export interface LockScope {
  lock: Span;
  parent: Context;
}

const LOCK_NONE = 0;
const LOCK_HELD = 1;
const LOCK_RELEASED = 2;

function seconds(ms: number | undefined): number | undefined {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

function finite(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export class SpanHandle implements SubmissionSpan, ProcessingSpan, ActivitySpan, LockSpan {
  readonly span: Span;
  /** The context the span was started in; `context` adds the span on first use. */
  private readonly parent: Context;
  private spanContext: Context | undefined;
  private readonly kind: SpanKindCode;
  /** Whether the span records (captured at start; an SDK span stops recording once ended). */
  readonly recording: boolean;
  private readonly onError: (error: OgfError) => void;
  private readonly onLate: (what: string) => void;
  /** Set once the span was ended by any path; every later call is a no-op. */
  ended = false;
  private lockState = LOCK_NONE;

  constructor(
    span: Span,
    parent: Context,
    kind: SpanKindCode,
    onError: (error: OgfError) => void,
    onLate: (what: string) => void = noLate,
  ) {
    this.span = span;
    this.parent = parent;
    this.kind = kind;
    this.recording = span.isRecording();
    this.onError = onError;
    this.onLate = onLate;
  }

  /**
   * The context with this span active (and, for a lock, the lock scope). Built on first use, then
   * the same object: a handle whose context nobody reads (no context manager, a caller that only
   * records on the span) costs no context copy.
   */
  get context(): Context {
    if (this.spanContext !== undefined) return this.spanContext;
    let ctx = trace.setSpan(this.parent, this.span);
    if (this.kind === LOCK) {
      const scope: LockScope = { lock: this.span, parent: this.parent };
      ctx = ctx.setValue(LOCK_SCOPE, scope);
    }
    this.spanContext = ctx;
    return ctx;
  }

  /** A call after the span ended is dropped; it is reported (once per kind) so the mistake shows. */
  private late(what: string): void {
    this.onLate(what);
  }

  event(name: string, attributes?: Attributes): void {
    if (this.ended) this.late(`event('${name}')`);
    else if (this.recording) this.span.addEvent(name, attributes);
  }

  workerBusy(workerId: string): void {
    if (this.recording && !this.ended) this.span.addEvent(EVENT_NAMES.workerBusy, { [ATTRIBUTES.workerId]: workerId });
  }

  workerIdle(workerId: string, idleMs?: number): void {
    if (!this.recording || this.ended) return;
    const attributes: Attributes = { [ATTRIBUTES.workerId]: workerId };
    const idle = seconds(idleMs);
    if (idle !== undefined) attributes[ATTRIBUTES.workerIdle] = idle;
    this.span.addEvent(EVENT_NAMES.workerIdle, attributes);
  }

  // batch.submission
  created(attributes?: Attributes): void {
    this.event(EVENT_NAMES.batchCreated, attributes);
  }

  activitiesAdded(count: number): void {
    if (this.ended) return this.late('activitiesAdded()');
    if (!this.recording) return;
    if (finite(count)) this.span.setAttribute(ATTRIBUTES.activityCount, count);
    this.span.addEvent(EVENT_NAMES.activitiesAdded, finite(count) ? { [ATTRIBUTES.activityCount]: count } : undefined);
  }

  queued(queueSize?: number): void {
    if (this.ended) return this.late('queued()');
    if (!this.recording) return;
    this.span.addEvent(EVENT_NAMES.batchQueued, finite(queueSize) ? { [ATTRIBUTES.queueSize]: queueSize } : undefined);
  }

  // batch.processing
  stateTransition(from: string, to: string): void {
    if (this.ended) this.late(`stateTransition('${from}', '${to}')`);
    else if (this.recording) {
      this.span.addEvent(EVENT_NAMES.stateTransition, { [ATTRIBUTES.stateFrom]: from, [ATTRIBUTES.stateTo]: to });
    }
  }

  // activity.processing
  dataRetrieved(attributes?: Attributes): void {
    this.event(EVENT_NAMES.dataRetrieved, attributes);
  }

  calculationsPerformed(result?: { emissionsKg?: number; factor?: number }): void {
    if (this.ended) return this.late('calculationsPerformed()');
    if (!this.recording) return;
    const attributes: Attributes = {};
    if (finite(result?.emissionsKg)) attributes[ATTRIBUTES.emissions] = result.emissionsKg;
    if (finite(result?.factor)) attributes[ATTRIBUTES.emissionFactor] = result.factor;
    this.span.addEvent(EVENT_NAMES.calculationsPerformed, attributes);
  }

  resultsStored(attributes?: Attributes): void {
    this.event(EVENT_NAMES.resultsStored, attributes);
  }

  // lock.acquisition
  waiting(): void {
    this.event(EVENT_NAMES.lockWait);
  }

  acquired(waitMs?: number): void {
    if (this.ended) return;
    this.lockState = LOCK_HELD;
    if (!this.recording) return;
    const wait = seconds(waitMs);
    if (wait !== undefined) this.span.setAttribute(ATTRIBUTES.lockWait, wait);
    this.span.addEvent(EVENT_NAMES.lockAcquired, wait === undefined ? undefined : { [ATTRIBUTES.lockWait]: wait });
  }

  released(heldMs?: number): void {
    if (this.ended) return;
    this.lockState = LOCK_RELEASED;
    if (this.recording) {
      const held = seconds(heldMs);
      if (held !== undefined) this.span.setAttribute(ATTRIBUTES.lockHeld, held);
      this.span.addEvent(EVENT_NAMES.lockReleased, held === undefined ? undefined : { [ATTRIBUTES.lockHeld]: held });
    }
    this.end();
  }

  timedOut(waitMs?: number): void {
    if (this.ended) return;
    if (this.recording) {
      const wait = seconds(waitMs);
      if (wait !== undefined) this.span.setAttribute(ATTRIBUTES.lockWait, wait);
      this.span.setAttribute(ATTRIBUTES.errorType, 'timeout');
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: 'lock timeout' });
    }
    this.end();
  }

  // shared outcome
  complete(result?: BatchResult & { emissionsKg?: number }): void {
    if (this.ended) return;
    if (this.recording) {
      const attributes: Attributes = {};
      const duration = seconds(result?.durationMs);
      if (duration !== undefined) {
        attributes[this.kind === ACTIVITY ? ATTRIBUTES.activityDuration : ATTRIBUTES.batchDuration] = duration;
      }
      if (finite(result?.emissionsKg)) attributes[ATTRIBUTES.emissions] = result.emissionsKg;
      if (finite(result?.successCount)) attributes[ATTRIBUTES.successCount] = result.successCount;
      if (finite(result?.errorCount)) attributes[ATTRIBUTES.errorCount] = result.errorCount;
      this.span.setAttributes(attributes);
      if (this.kind === PROCESSING) this.span.addEvent(EVENT_NAMES.batchCompleted, attributes);
    }
    this.end();
  }

  fail(error: unknown): void {
    if (this.ended) return;
    if (this.recording) {
      try {
        const safe = toSafeError(error);
        this.span.recordException(
          safe.stack === undefined
            ? { name: safe.name, message: safe.message }
            : { name: safe.name, message: safe.message, stack: safe.stack },
        );
        this.span.setAttribute(ATTRIBUTES.errorType, safe.errorType);
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: safe.message });
      } catch (failure) {
        this.onError(new OgfError('ERR_OGF_RECORDING', 'could not record an error on the span', { cause: failure }));
      }
    }
    this.end();
  }

  end(): void {
    if (this.ended) return;
    if (this.kind === LOCK && this.lockState === LOCK_HELD && this.recording) {
      this.span.addEvent(EVENT_NAMES.lockReleased);
    }
    this.ended = true;
    this.span.end();
  }
}
