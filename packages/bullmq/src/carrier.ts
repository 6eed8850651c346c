// The trace carrier in a job. BullMQ keeps W3C trace context as JSON text in the job options
// (`opts.telemetry.metadata`, BullMQ ≥ 5.34); `submit` writes the `batch.submission` carrier there
// and BullMQ's own `telemetry` writes its `add` span's. Reading it never throws: a malformed
// carrier is reported and the job runs in a new trace.
import { context, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { OgfError } from './errors.js';
import type { Report } from './errors.js';

/** The part of a BullMQ job this module reads. */
export interface CarrierJob {
  id?: string | undefined;
  opts?: { telemetry?: { metadata?: string | undefined } | undefined } | undefined;
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The carrier object of a job: undefined when it has none, or (reported) when it is malformed. */
export function readCarrier(job: CarrierJob, report: Report): Record<string, string> | undefined {
  return parseCarrier(job.opts?.telemetry?.metadata, job, report);
}

/** A carrier from its JSON text: undefined when there is none, or (reported) when it is malformed. */
export function parseCarrier(metadata: unknown, job: CarrierJob, report: Report): Record<string, string> | undefined {
  if (metadata === undefined || metadata === null || metadata === '') return undefined;
  let parsed: unknown;
  try {
    parsed = typeof metadata === 'string' ? JSON.parse(metadata) : metadata;
  } catch (error) {
    report(carrierError(job, 'is not JSON', error));
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    report(carrierError(job, 'is not an object'));
    return undefined;
  }
  const traceparent = (parsed as Record<string, unknown>)['traceparent'];
  if (traceparent !== undefined && (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent))) {
    report(carrierError(job, 'has an invalid traceparent'));
    return undefined;
  }
  return parsed as Record<string, string>;
}

function carrierError(job: CarrierJob, what: string, cause?: unknown): OgfError {
  return new OgfError(
    'ERR_OGF_BULLMQ_CARRIER',
    `job ${job.id ?? '(id unknown)'}: its trace carrier (opts.telemetry.metadata) ${what}; the job runs in a new trace`,
    cause === undefined ? undefined : { cause },
  );
}

/** Whether a valid span is active (e.g. BullMQ's `process` span, with our `telemetry` on the worker). */
export function hasActiveSpan(ctx: Context = context.active()): boolean {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && trace.isSpanContextValid(spanContext);
}
