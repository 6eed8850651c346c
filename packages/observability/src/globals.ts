// The OpenTelemetry globals createObservability registers (context manager, tracer and meter
// providers, the W3C propagator, the diag logger), and the function that unregisters them.
import { context, diag, metrics as metricsApi, propagation, trace } from '@opentelemetry/api';
import type { ContextManager, MeterProvider, TracerProvider } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Logger } from 'pino';
import type { ResolvedConfig } from './config.js';
import { createDiagLogger, diagLevelFor } from './diag.js';

const W3C_PROPAGATOR = (): CompositePropagator =>
  new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

/** Registers what it can; returns the undo. A global that is already taken is reported, not replaced. */
export function registerGlobals(
  config: ResolvedConfig,
  parts: {
    contextManager: ContextManager | undefined;
    tracerProvider: TracerProvider | undefined;
    meterProvider: MeterProvider | undefined;
  },
  logger: Logger,
): () => void {
  const undo: (() => void)[] = [];
  const conflicts: string[] = [];
  const claim = (what: string, ok: boolean, disable: () => void): void => {
    if (ok) undo.push(disable);
    else conflicts.push(what);
  };
  if (parts.contextManager)
    claim('context manager', context.setGlobalContextManager(parts.contextManager.enable()), () => context.disable());
  if (parts.tracerProvider) claim('tracer provider', trace.setGlobalTracerProvider(parts.tracerProvider), () => trace.disable());
  if (parts.meterProvider) claim('meter provider', metricsApi.setGlobalMeterProvider(parts.meterProvider), () => metricsApi.disable());
  if (parts.tracerProvider) claim('propagator', propagation.setGlobalPropagator(W3C_PROPAGATOR()), () => propagation.disable());
  // The diag logger cannot refuse a second registration, so only the instance that owns the
  // providers routes OpenTelemetry's own messages into its logs.
  if (
    undo.length > 0 &&
    diag.setLogger(createDiagLogger(logger), { logLevel: diagLevelFor(config.logging.level), suppressOverrideMessage: true })
  ) {
    undo.push(() => diag.disable());
  }
  if (conflicts.length > 0) {
    logger.warn(
      { event: 'otel.globals', already_registered: conflicts },
      'another OpenTelemetry global was already registered; obs.metrics and obs.tracer still use their own providers',
    );
  }
  return () => {
    for (const disable of undo.reverse()) disable();
  };
}
