// The caller's W3C trace context, read with the W3C propagator directly (not the global one, which
// the application may have replaced), after a size check: an oversized or malformed header is
// ignored and the request starts a new trace.
import { ROOT_CONTEXT, isSpanContextValid, trace } from '@opentelemetry/api';
import type { SpanContext, TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** `traceparent` is 55 characters in version 00; later versions may append fields. */
const MAX_TRACEPARENT = 256;
/** W3C Trace Context: a `tracestate` longer than 512 characters may be dropped. */
const MAX_TRACESTATE = 512;

/** Anything with `get(name)`: `Headers`, or the Express adapter's view of Node headers. */
export interface HeaderSource {
  get(name: string): string | null;
}

const propagator = new W3CTraceContextPropagator();
const getter: TextMapGetter<HeaderSource> = {
  keys: () => ['traceparent', 'tracestate'],
  get(headers, key) {
    const value = headers.get(key);
    if (value === null) return undefined;
    if (key === 'traceparent' && value.length > MAX_TRACEPARENT) return undefined;
    if (key === 'tracestate' && value.length > MAX_TRACESTATE) return undefined;
    return value;
  },
};

/** The caller's span context when the headers carry a valid one, else `undefined`. */
export function incomingSpanContext(headers: HeaderSource): SpanContext | undefined {
  // Most requests carry none: one header read, and no propagator, context or span context made.
  if (headers.get('traceparent') === null) return undefined;
  const extracted = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, getter));
  return extracted !== undefined && isSpanContextValid(extracted) ? extracted : undefined;
}
