// Log fields carried in the OpenTelemetry context: the lifecycle sets `batch_id`, `worker_id` and
// `activity_id` for the code it runs, and `traceContextFields` (the loggers' mixin) adds them to
// every line written there, next to the trace ids.
import { createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

const LOG_FIELDS = createContextKey('ogf.lifecycle.log-fields');

/** The log fields set in this context (undefined when none). */
export function logFieldsOf(ctx: Context): Readonly<Record<string, string>> | undefined {
  return ctx.getValue(LOG_FIELDS) as Readonly<Record<string, string>> | undefined;
}

/** A context whose log lines carry `fields` as well as any set further out. */
export function withLogFields(ctx: Context, fields: Record<string, string>): Context {
  const outer = logFieldsOf(ctx);
  return ctx.setValue(LOG_FIELDS, outer === undefined ? fields : { ...outer, ...fields });
}
