// Structured logs with pino: one JSON object per line, the service fields on every line, and the
// trace_id/span_id of the span active when the line was written. On Node (and Bun and Deno, which
// load pino's Node build) the ids come from pino's `mixin`; bundlers for workerd and browsers pick
// pino's browser build, which has no mixin, so there the same fields are added in `browser.write`,
// which prints one JSON line through console.log (or the destination you give).
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import pino from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from './config.js';
import { activityIdOf, logFieldsOf } from './lifecycle/log-fields.js';
import { requestIdOf } from './requests/request-id.js';

/** Where log lines go instead of stdout: anything with `write(line)`, e.g. a pino destination. */
export interface LogDestination {
  write(line: string): void;
}

/** Options of `createLogger`. */
export interface CreateLoggerOptions {
  level?: LogLevel;
  serviceName?: string;
  serviceVersion?: string;
  environment?: string;
  destination?: LogDestination;
}

/**
 * The ids of the active span as log fields: `trace_id`, `span_id` and `trace_flags` (empty
 * when no valid span is active), plus `batch_id`, `worker_id` and `activity_id` inside the
 * lifecycle's `process` and `activity` callbacks, and `request_id` while `obs.requests` handles a request. Pass it as `mixin` to your own pino logger to get the same
 * correlation `createObservability` gives its logger.
 *
 * @example
 * ```ts
 * const logger = pino({ mixin: traceContextFields });
 * ```
 */
export function traceContextFields(): Record<string, string> {
  const active = context.active();
  const batchFields = logFieldsOf(active);
  const span = trace.getSpan(active);
  const activityId = activityIdOf(active, span);
  const fields: Record<string, string> = batchFields === undefined ? {} : Object.assign({}, batchFields);
  if (activityId !== undefined) fields.activity_id = activityId;
  const requestId = requestIdOf(active);
  if (requestId !== undefined) fields.request_id = requestId;
  const ctx = span?.spanContext();
  if (ctx !== undefined) addSpanIds(fields, ctx);
  return fields;
}

/** Sets `trace_id`, `span_id` and `trace_flags` of a valid span context on `fields`; an invalid one adds nothing. */
export function addSpanIds(fields: Record<string, unknown>, ctx: SpanContext): void {
  if (!isSpanContextValid(ctx)) return;
  fields.trace_id = ctx.traceId;
  fields.span_id = ctx.spanId;
  fields.trace_flags = `0${ctx.traceFlags.toString(16)}`.slice(-2);
}

function serviceFields(options: CreateLoggerOptions): Record<string, string> {
  const fields: Record<string, string> = {};
  if (options.serviceName !== undefined) fields.service_name = options.serviceName;
  if (options.serviceVersion !== undefined) fields.service_version = options.serviceVersion;
  if (options.environment !== undefined) fields.environment = options.environment;
  return fields;
}

/**
 * A pino logger writing JSON lines with the service fields and the active span's ids.
 *
 * @example
 * ```ts
 * const logger = createLogger({ serviceName: 'offgridflow', level: 'debug' });
 * logger.info({ batch_id: 'b-1' }, 'batch accepted');
 * ```
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const base = serviceFields(options);
  const destination = options.destination;
  const writeLine = (record: object): void => {
    const { level, time, ...rest } = record as Record<string, unknown>;
    const line = JSON.stringify({ level, time, ...base, ...traceContextFields(), ...rest });
    if (destination !== undefined) destination.write(`${line}\n`);
    // eslint-disable-next-line no-console -- the browser build's only sink is the console
    else console.log(line);
  };
  const loggerOptions = {
    level: options.level ?? 'info',
    base,
    mixin: traceContextFields,
    // Ignored by pino's Node build; used by its browser build (workerd, browsers).
    browser: { asObject: true, write: writeLine },
  };
  return destination === undefined ? pino(loggerOptions) : pino(loggerOptions, destination);
}

/** One batch state transition, as the audit trail records it. */
export interface StateTransitionRecord {
  batchId: string;
  from: string;
  to: string;
  /** The worker that made the transition. */
  workerId?: string;
  /** When it happened. Default: now. */
  at?: Date;
  /** Why, in a few words (e.g. the error type of a failure). */
  reason?: string;
}

/** Writes the audit trail: one structured record per batch state transition. */
export interface AuditLog {
  stateTransition(record: StateTransitionRecord): void;
}

/**
 * An audit trail on top of a pino logger. Each transition is its own record, marked
 * `audit: "batch.state_transition"`, with `batch_id`, `from`, `to`, `at` (ISO time) and
 * `worker_id`. Records are written at `info` even when the logger's level is higher (an audit
 * trail that a log level can switch off is not one); only a `silent` logger drops them.
 *
 * @example
 * ```ts
 * const audit = createAuditLog(logger);
 * audit.stateTransition({ batchId: 'b-1', from: 'queued', to: 'processing', workerId: 'w-3' });
 * ```
 */
export function createAuditLog(logger: Logger): AuditLog {
  const auditLogger = logger.level === 'silent' ? logger : logger.child({}, { level: 'info' });
  return {
    stateTransition(record) {
      try {
        const fields: Record<string, string> = {
          audit: 'batch.state_transition',
          batch_id: String(record.batchId),
          from: String(record.from),
          to: String(record.to),
          at: (record.at ?? new Date()).toISOString(),
        };
        if (record.workerId !== undefined) fields.worker_id = String(record.workerId);
        if (record.reason !== undefined) fields.reason = String(record.reason);
        auditLogger.info(fields, 'batch state transition');
      } catch {
        // Recording never throws into the caller (an invalid Date, a broken destination).
      }
    },
  };
}
