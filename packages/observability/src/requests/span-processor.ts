// Puts the request id on every span started while a request is handled (the server span, the
// lifecycle's batch.submission, your own spans), so one attribute finds all of them.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { requestIdOf } from './request-id.js';

/** The span attribute that carries the request id. */
export const REQUEST_ID_ATTRIBUTE = 'http.request.id';

/** A SpanProcessor that copies the request id from the parent context onto each new span. */
export function requestIdSpanProcessor(): SpanProcessor {
  return {
    onStart(span: Span, parentContext: Context): void {
      const requestId = requestIdOf(parentContext);
      if (requestId !== undefined && span.attributes[REQUEST_ID_ATTRIBUTE] !== requestId)
        span.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
    },
    onEnd(_span: ReadableSpan): void {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
