// BullMQ's `telemetry` interface (what bullmq-otel implements) on the OpenTelemetry API, with the
// providers of an `Observability`: BullMQ's own spans (`add <queue>.<name>`, `process <queue>`,
// `getNextJob`, `moveToFinished`, retries, stalled checks…) go to the same TracerProvider as the
// batch spans, trace context travels in `opts.telemetry.metadata`, and, with a meter, BullMQ's job
// counters and duration (converted to seconds) go to the same MeterProvider. Nothing here throws
// into BullMQ: a failing call is reported to `onError` and degrades to a no-op.
import { context, propagation, trace } from '@opentelemetry/api';
import type { Context, Span as OtelSpan, Tracer as OtelTracer, TracerProvider } from '@opentelemetry/api';
import type { Attributes, ContextManager, Exception, Meter, Span, SpanOptions, Telemetry, Time, Tracer } from 'bullmq';
import { parseCarrier } from './carrier.js';
import { OgfError } from './errors.js';
import type { Report } from './errors.js';

function recordingError(what: string, cause: unknown): OgfError {
  return new OgfError('ERR_OGF_RECORDING', `BullMQ telemetry: ${what} failed (${String(cause)}); ignored`, { cause });
}

class OtelBullSpan implements Span<Context> {
  constructor(
    readonly span: OtelSpan,
    private readonly report: Report,
  ) {}

  setSpanOnContext(ctx: Context): Context {
    return trace.setSpan(ctx, this.span);
  }

  setAttribute(key: string, value: Attributes[string]): void {
    if (value !== undefined) this.span.setAttribute(key, value);
  }

  setAttributes(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  addEvent(name: string, attributes?: Attributes): void {
    this.span.addEvent(name, attributes);
  }

  recordException(exception: Exception, time?: Time): void {
    try {
      this.span.recordException(exception, time);
      this.span.setStatus({ code: 2, message: typeof exception === 'string' ? exception : exception.message });
    } catch (error) {
      this.report(recordingError('recordException', error));
    }
  }

  end(): void {
    this.span.end();
  }
}

class OtelBullTracer implements Tracer<Context> {
  constructor(
    private readonly tracer: OtelTracer,
    private readonly report: Report,
  ) {}

  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span<Context> {
    return new OtelBullSpan(this.tracer.startSpan(name, options === undefined ? undefined : { kind: options.kind }, ctx), this.report);
  }
}

class OtelBullContextManager implements ContextManager<Context> {
  constructor(private readonly report: Report) {}

  with<A extends (...args: never[]) => unknown>(ctx: Context, fn: A): ReturnType<A> {
    return context.with(ctx, fn as () => ReturnType<A>);
  }

  active(): Context {
    return context.active();
  }

  root(): Context {
    return trace.deleteSpan(context.active());
  }

  getMetadata(ctx: Context): string {
    const carrier: Record<string, string> = {};
    propagation.inject(ctx, carrier);
    return JSON.stringify(carrier);
  }

  /** A malformed carrier must not fail the job: it is reported and the active context is kept (a new trace). */
  fromMetadata(activeContext: Context, metadata: string): Context {
    const carrier = parseCarrier(metadata, {}, this.report);
    return carrier === undefined ? activeContext : propagation.extract(activeContext, carrier);
  }
}

/** What `createTelemetry` needs. */
export interface TelemetryParts {
  tracerProvider: TracerProvider;
  meter: Meter | undefined;
  scopeName: string;
  scopeVersion: string | undefined;
  report: Report;
}

/** BullMQ's `Telemetry` on the given providers. */
export function createTelemetry(parts: TelemetryParts): Telemetry<Context> {
  const tracer = parts.tracerProvider.getTracer(parts.scopeName, parts.scopeVersion);
  const telemetry: Telemetry<Context> = {
    tracer: new OtelBullTracer(tracer, parts.report),
    contextManager: new OtelBullContextManager(parts.report),
  };
  if (parts.meter !== undefined) telemetry.meter = parts.meter;
  return telemetry;
}
