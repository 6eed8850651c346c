// Carrying a trace into a worker: the active context is written into a plain object that travels
// inside a job payload (JSON, structured clone, a queue message) and is read back on the worker.
// The application's global propagator is used when one is registered; otherwise W3C trace
// context and baggage.
import {
  context as contextApi,
  createContextKey,
  propagation,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

/** A plain, JSON-serialisable carrier: `traceparent`, `tracestate`, `baggage` (W3C by default). */
export type TraceCarrier = Record<string, string>;

/**
 * How a job's span relates to the span that submitted it: `child` continues the trace (same trace
 * id, parent = the submitter); `link` starts a new trace whose first span links to the submitter.
 */
export type JobRelation = 'child' | 'link';

/** Options for `injectContext` and `extractContext`. */
export interface PropagationOptions {
  /** Overrides the propagator (default: the global one if registered, else W3C trace context + baggage). */
  propagator?: TextMapPropagator;
  /** For `extractContext`: `child` (default) or `link`. */
  relation?: JobRelation;
}

/** Where `extractContext` in link mode parks the submitter's span context for the next span. */
export const LINK_KEY: symbol = createContextKey('ogf.tracing.job-link');

let fallback: TextMapPropagator | undefined;

function activePropagator(explicit: TextMapPropagator | undefined): TextMapPropagator {
  if (explicit) return explicit;
  // The no-op global propagator has no fields; anything the application registered has some.
  if (propagation.fields().length > 0) return propagation;
  fallback ??= new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
  return fallback;
}

const stringGetter: TextMapGetter<unknown> = {
  keys: (carrier) => (isRecord(carrier) ? Object.keys(carrier) : []),
  get: (carrier, key) => {
    if (!isRecord(carrier)) return undefined;
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

const carrierSetter: TextMapSetter<TraceCarrier> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Writes the given (default: active) context into a new plain carrier object.
 *
 * @example
 * await queue.add('activity', { activityId, trace: injectContext() });
 */
export function injectContext(ctx: Context = contextApi.active(), options: PropagationOptions = {}): TraceCarrier {
  const carrier: TraceCarrier = {};
  activePropagator(options.propagator).inject(ctx, carrier, carrierSetter);
  return carrier;
}

/**
 * Restores a context from a carrier made by `injectContext`. Spans started in it (by a
 * `BatchTracer`) become children of the submitter, or, with `relation: 'link'`, roots of a new
 * trace linked to it. An unsampled submitter stays unsampled downstream in both modes. Anything
 * that is not a valid carrier yields the base context unchanged.
 *
 * @example
 * const ctx = extractContext(job.data.trace);
 * await context.with(ctx, () => tracer.withActivityProcessing({ id: job.data.activityId }, work));
 */
export function extractContext(carrier: unknown, options: PropagationOptions = {}, base: Context = contextApi.active()): Context {
  const extracted = activePropagator(options.propagator).extract(base, carrier, stringGetter);
  if (options.relation !== 'link') return extracted;
  const remote = trace.getSpanContext(extracted);
  if (!remote || !trace.isSpanContextValid(remote)) return extracted;
  // An unsampled submitter keeps its job unsampled: leave it as the parent, so a parent-based
  // sampler drops the job's spans just as it would in child mode.
  if ((remote.traceFlags & TraceFlags.SAMPLED) === 0) return extracted;
  linksPending = true;
  return trace.deleteSpan(extracted).setValue(LINK_KEY, remote);
}

/** Until a link-mode extraction happens, span starts skip the link lookup entirely. */
let linksPending = false;

/** The submitter's span context when `ctx` came from a link-mode extraction and has no span yet. */
export function pendingLink(ctx: Context): SpanContext | undefined {
  if (!linksPending) return undefined;
  const link = ctx.getValue(LINK_KEY) as SpanContext | undefined;
  return link !== undefined && trace.getSpan(ctx) === undefined ? link : undefined;
}
