export { createBatchTracer } from './tracer.js';
export { injectContext, extractContext } from './propagation.js';
export type { TraceCarrier, JobRelation, PropagationOptions } from './propagation.js';
export { SPAN_NAMES, EVENT_NAMES, ATTRIBUTES } from './names.js';
export { OgfError, isOgfError } from '@ogf/core';
export type { TracingErrorCode } from './errors.js';
export type {
  ActivityRef,
  ActivitySpan,
  BatchRef,
  BatchResult,
  BatchTracer,
  BatchTracerOptions,
  LockRef,
  LockSpan,
  ProcessingSpan,
  StartOptions,
  SubmissionSpan,
  TracedSpan,
} from './types.js';
