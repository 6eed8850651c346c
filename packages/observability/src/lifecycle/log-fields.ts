// Log fields for the code the lifecycle runs: `batch_id` and `worker_id` travel in the
// OpenTelemetry context of the run (set once per batch). `activity_id` costs nothing extra when
// the activity's span records: it is the span's own `activity.id` attribute. A span that does not
// record (sampled out, no SDK) has none, so the id then goes into the context, and only when a
// context manager carries contexts at all. `traceContextFields`, the loggers' mixin, adds them to
// every line written there, next to the trace ids.
import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';

const LOG_FIELDS = createContextKey('ogf.lifecycle.log-fields');
const ACTIVITY_ID = createContextKey('ogf.lifecycle.activity-id');
const PROBE = ROOT_CONTEXT.setValue(createContextKey('ogf.lifecycle.probe'), true);

/** The log fields set in this context (undefined when none). */
export function logFieldsOf(ctx: Context): Readonly<Record<string, string>> | undefined {
  return ctx.getValue(LOG_FIELDS) as Readonly<Record<string, string>> | undefined;
}

/** A context whose log lines carry `fields` as well as any set further out. */
export function withLogFields(ctx: Context, fields: Record<string, string>): Context {
  const outer = logFieldsOf(ctx);
  return ctx.setValue(LOG_FIELDS, outer === undefined ? fields : { ...outer, ...fields });
}

/** Whether a context manager is registered that carries contexts into callbacks. */
export function contextsPropagate(): boolean {
  return context.with(PROBE, probeIsActive);
}

// Module-level, so the probe (run per batch until a context manager shows up) allocates nothing.
const probeIsActive = (): boolean => context.active() === PROBE;

/** The context for an activity's callback: its span's context, plus the id when the span cannot carry it. */
export function activityContext(spanContext: Context, span: Span, activityId: string, propagate: boolean): Context {
  return propagate && !span.isRecording() ? spanContext.setValue(ACTIVITY_ID, activityId) : spanContext;
}

/** The activity id of a context: set there, or the active span's `activity.id` attribute. */
export function activityIdOf(ctx: Context, span: Span | undefined): string | undefined {
  const id = ctx.getValue(ACTIVITY_ID) ?? (span as { attributes?: Record<string, unknown> } | undefined)?.attributes?.['activity.id'];
  return typeof id === 'string' ? id : undefined;
}
