// createBatchTracer: OffGridFlow's BatchTracer on the OTel Tracer API alone. With no SDK registered
// every call lands on the API's no-op tracer, and the handles skip their own work too.
import {
  context as contextApi,
  createContextKey,
  diag,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Link,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { errorReporter } from '@ogf/core';
import { OgfError } from './errors.js';
import { ATTRIBUTES, SPAN_NAMES } from './names.js';
import { extractContext, injectContext, pendingLink, type JobRelation } from './propagation.js';
import { ACTIVITY, LOCK, LOCK_SCOPE, PROCESSING, SpanHandle, SUBMISSION, type LockScope, type SpanKindCode } from './span-handle.js';
import type {
  ActivityRef,
  ActivitySpan,
  BatchRef,
  BatchTracer,
  BatchTracerOptions,
  LockRef,
  LockSpan,
  ProcessingSpan,
  StartOptions,
  SubmissionSpan,
  TracedSpan,
} from './types.js';

const DEFAULT_NAME = '@ogf/tracing';

function parentContext(parent: StartOptions['parent']): Context {
  if (parent === undefined) return contextApi.active();
  return (parent as TracedSpan).span !== undefined ? (parent as TracedSpan).context : (parent as Context);
}

function normalize(options: BatchTracerOptions): { name: string; jobRelation: JobRelation; onError: (error: OgfError) => void } {
  if (typeof options !== 'object' || options === null) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `createBatchTracer expected an options object, got ${typeof options}`);
  }
  const name = options.scopeName ?? DEFAULT_NAME;
  if (typeof name !== 'string' || name.length === 0) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'createBatchTracer: `scopeName` must be a non-empty string');
  }
  const jobRelation = options.jobRelation ?? 'child';
  if (jobRelation !== 'child' && jobRelation !== 'link') {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      `createBatchTracer: \`jobRelation\` must be 'child' or 'link', got ${String(jobRelation)}`,
    );
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'createBatchTracer: `onError` must be a function');
  }
  const onError = errorReporter(options.onError, (error) => diag.warn(`@ogf/tracing: ${error.message}`, error.cause));
  return { name, jobRelation, onError };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'
  );
}

const PROBE = ROOT_CONTEXT.setValue(createContextKey('ogf.tracing.probe'), true);
let propagating = false;
/** Whether a context manager carries contexts into callbacks (probed until one does, then remembered). */
function contextsPropagate(): boolean {
  return (propagating ||= contextApi.with(PROBE, () => contextApi.active() === PROBE));
}

/** Runs `fn` with the handle's span active, ending it exactly once and recording failures. */
function runInSpan<H extends SpanHandle, R>(handle: H, fn: (span: H) => R): R {
  // Ending or failing a span nobody records does nothing, so its result needs no watching:
  // the no-SDK and sampled-out paths cost one context switch and nothing more, and with no
  // context manager (where `context.with` only calls `fn`) not even the span's context is built.
  if (!handle.recording) return contextsPropagate() ? contextApi.with(handle.context, fn, undefined, handle) : fn(handle);
  let result: R;
  try {
    result = contextApi.with(handle.context, fn, undefined, handle);
  } catch (error) {
    handle.fail(error);
    throw error;
  }
  // A callback that already ended its span (complete/fail before returning) leaves nothing to
  // watch: skip the extra promise.
  if (handle.ended) return result;
  if (!isThenable(result)) {
    handle.end();
    return result;
  }
  return result.then(
    (value) => {
      handle.end();
      return value;
    },
    (error: unknown) => {
      handle.fail(error);
      throw error;
    },
  ) as R;
}

/**
 * Creates a `BatchTracer` on the global (or given) TracerProvider.
 *
 * @example
 * const tracer = createBatchTracer();
 * await tracer.withBatchProcessing({ id: 'b-1', orgId: 'org-7', activityCount: 2 }, async (batch) => {
 *   for (const activity of activities) {
 *     await tracer.withActivityProcessing({ id: activity.id, batchId: 'b-1' }, (span) => process(activity, span));
 *   }
 *   batch.complete({ successCount: 2, errorCount: 0 });
 * });
 */
export function createBatchTracer(options: BatchTracerOptions = {}): BatchTracer {
  const { name, jobRelation, onError } = normalize(options);
  const { scopeVersion: version, tracerProvider, propagator } = options;
  // Calls on an ended span are dropped; the first of each kind is reported (the classic bug: a
  // state transition recorded after complete() silently missing from the trace).
  const lateReported = new Set<string>();
  const onLate = (what: string): void => {
    if (lateReported.has(what) || lateReported.size > 100) return;
    lateReported.add(what);
    onError(
      new OgfError(
        'ERR_OGF_SPAN_ENDED',
        `${what} was called after its span ended and was dropped; record events and state transitions before complete(), fail() or end() (reported once)`,
      ),
    );
  };
  // trace.getTracer returns a proxy that follows whatever provider is registered later.
  const tracer: Tracer = tracerProvider ? tracerProvider.getTracer(name, version) : trace.getTracer(name, version);

  function start(kind: SpanKindCode, spanName: string, attributes: Attributes, options: StartOptions | undefined): SpanHandle {
    let parent = parentContext(options?.parent);
    if (kind === ACTIVITY && options?.parent === undefined) {
      // OffGridFlow's tree has activities beside the lock, not inside it: directly inside a lock
      // scope, an activity starts from the context the lock itself was started in.
      const scope = parent.getValue(LOCK_SCOPE) as LockScope | undefined;
      if (scope !== undefined && trace.getSpan(parent) === scope.lock) parent = scope.parent;
    }
    if (options?.attributes !== undefined) Object.assign(attributes, options.attributes);
    const spanOptions: SpanOptions = { kind: SpanKind.INTERNAL, attributes };
    const link = pendingLink(parent);
    if (link !== undefined) {
      const links: Link[] = [{ context: link, attributes: { [ATTRIBUTES.linkType]: 'job.submitter' } }];
      spanOptions.links = links;
    }
    const span = tracer.startSpan(spanName, spanOptions, parent);
    return new SpanHandle(span, parent, kind, onError, onLate);
  }

  function batchAttributes(batch: BatchRef): Attributes {
    const attributes: Attributes = { [ATTRIBUTES.batchId]: batch.id };
    if (batch.orgId !== undefined) attributes[ATTRIBUTES.orgId] = batch.orgId;
    if (batch.workspaceId !== undefined) attributes[ATTRIBUTES.workspaceId] = batch.workspaceId;
    if (batch.activityCount !== undefined) attributes[ATTRIBUTES.activityCount] = batch.activityCount;
    if (batch.workerId !== undefined) attributes[ATTRIBUTES.workerId] = batch.workerId;
    return attributes;
  }

  function activityAttributes(activity: ActivityRef): Attributes {
    const attributes: Attributes = { [ATTRIBUTES.activityId]: activity.id };
    if (activity.batchId !== undefined) attributes[ATTRIBUTES.batchId] = activity.batchId;
    if (activity.orgId !== undefined) attributes[ATTRIBUTES.orgId] = activity.orgId;
    if (activity.type !== undefined) attributes[ATTRIBUTES.activityType] = activity.type;
    if (activity.workerId !== undefined) attributes[ATTRIBUTES.workerId] = activity.workerId;
    return attributes;
  }

  function lockAttributes(lock: LockRef): Attributes {
    const attributes: Attributes = { [ATTRIBUTES.lockName]: lock.name };
    if (lock.orgId !== undefined) attributes[ATTRIBUTES.orgId] = lock.orgId;
    if (lock.batchId !== undefined) attributes[ATTRIBUTES.batchId] = lock.batchId;
    return attributes;
  }

  const startSubmission = (batch: BatchRef, opts?: StartOptions): SubmissionSpan =>
    start(SUBMISSION, SPAN_NAMES.batchSubmission, batchAttributes(batch), opts);
  const startProcessing = (batch: BatchRef, opts?: StartOptions): ProcessingSpan =>
    start(PROCESSING, SPAN_NAMES.batchProcessing, batchAttributes(batch), opts);
  const startActivity = (activity: ActivityRef, opts?: StartOptions): ActivitySpan =>
    start(ACTIVITY, SPAN_NAMES.activityProcessing, activityAttributes(activity), opts);
  const startLock = (lock: LockRef, opts?: StartOptions): LockSpan => start(LOCK, SPAN_NAMES.lockAcquisition, lockAttributes(lock), opts);

  return {
    startBatchSubmissionSpan: startSubmission,
    startBatchProcessingSpan: startProcessing,
    startActivityProcessingSpan: startActivity,
    startLockAcquisitionSpan: startLock,
    withBatchSubmission: (batch, fn, opts) => runInSpan(start(SUBMISSION, SPAN_NAMES.batchSubmission, batchAttributes(batch), opts), fn),
    withBatchProcessing: (batch, fn, opts) => runInSpan(start(PROCESSING, SPAN_NAMES.batchProcessing, batchAttributes(batch), opts), fn),
    withActivityProcessing: (activity, fn, opts) =>
      runInSpan(start(ACTIVITY, SPAN_NAMES.activityProcessing, activityAttributes(activity), opts), fn),
    withLockAcquisition: (lock, fn, opts) => runInSpan(start(LOCK, SPAN_NAMES.lockAcquisition, lockAttributes(lock), opts), fn),
    injectContext: (ctx?: Context) => {
      try {
        return injectContext(ctx, propagator ? { propagator } : {});
      } catch (error) {
        onError(new OgfError('ERR_OGF_PROPAGATION', 'injectContext: the propagator threw; the carrier is left empty', { cause: error }));
        return {};
      }
    },
    extractContext: (carrier: unknown, opts?: { relation?: JobRelation; base?: Context }) => {
      const base = opts?.base ?? contextApi.active();
      try {
        return extractContext(carrier, { propagator, relation: opts?.relation ?? jobRelation }, base);
      } catch (error) {
        onError(
          new OgfError('ERR_OGF_PROPAGATION', 'extractContext: the propagator threw; continuing in the current context', { cause: error }),
        );
        return base;
      }
    },
  };
}
