// Counts what reached the collector and what did not, so shutdown can say how much telemetry was
// lost. Spans: every sampled span that ended is counted by a span processor placed before the
// batch processor; the exporter wrapper counts the ones the collector accepted. The difference
// covers every way to lose a span (queue full, export failed, export still running at the
// deadline). Metric points: the exporter wrapper counts points per export by outcome.
import { TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Delivery counts since start. */
export interface DeliveryStats {
  spans: {
    /** Sampled spans that ended (and so were due for export). */
    ended: number;
    /** Spans the collector accepted. */
    exported: number;
    /** Spans in exports that failed. */
    failed: number;
  };
  metricPoints: {
    /** Data points the collector accepted. */
    exported: number;
    /** Data points in exports that failed. */
    failed: number;
    /** Data points in exports still running. */
    pending: number;
  };
}

/** The live counters and the wrappers that feed them. */
export interface DeliveryTracker {
  stats(): DeliveryStats;
  /** Sampled spans that ended but were not accepted by the collector (yet). */
  undeliveredSpans(): number;
  /** Metric points in failed or unfinished exports. */
  undeliveredMetricPoints(): number;
  spanCounter(): SpanProcessor;
  wrapSpanExporter(exporter: SpanExporter): SpanExporter;
  wrapMetricExporter(exporter: PushMetricExporter): PushMetricExporter;
}

function countPoints(metrics: ResourceMetrics): number {
  let points = 0;
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) points += metric.dataPoints.length;
  }
  return points;
}

/**
 * Creates the counters. Only spans with the sampled flag are counted, since only those are exported.
 *
 * @example
 * ```ts
 * const delivery = createDeliveryTracker();
 * new BasicTracerProvider({ spanProcessors: [delivery.spanCounter(), new BatchSpanProcessor(delivery.wrapSpanExporter(exporter))] });
 * ```
 */
export function createDeliveryTracker(): DeliveryTracker {
  const spans = { ended: 0, exported: 0, failed: 0 };
  const points = { exported: 0, failed: 0, pending: 0 };

  return {
    stats: () => ({ spans: { ...spans }, metricPoints: { ...points } }),
    undeliveredSpans: () => Math.max(0, spans.ended - spans.exported),
    undeliveredMetricPoints: () => points.failed + points.pending,

    spanCounter(): SpanProcessor {
      return {
        onStart(_span: Span, _parent: Context): void {},
        onEnd(span: ReadableSpan): void {
          if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) spans.ended += 1;
        },
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      };
    },

    wrapSpanExporter(exporter: SpanExporter): SpanExporter {
      return {
        export(batch: ReadableSpan[], done: (result: ExportResult) => void): void {
          let settled = false;
          const finish = (result: ExportResult): void => {
            if (settled) return;
            settled = true;
            if (result.code === ExportResultCode.SUCCESS) spans.exported += batch.length;
            else spans.failed += batch.length;
            done(result);
          };
          try {
            exporter.export(batch, finish);
          } catch (error) {
            finish({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
          }
        },
        shutdown: () => exporter.shutdown(),
        forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
      };
    },

    wrapMetricExporter(exporter: PushMetricExporter): PushMetricExporter {
      const wrapped: PushMetricExporter = {
        export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
          const count = countPoints(metrics);
          points.pending += count;
          let settled = false;
          const finish = (result: ExportResult): void => {
            if (settled) return;
            settled = true;
            points.pending -= count;
            if (result.code === ExportResultCode.SUCCESS) points.exported += count;
            else points.failed += count;
            done(result);
          };
          try {
            exporter.export(metrics, finish);
          } catch (error) {
            finish({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
          }
        },
        forceFlush: () => exporter.forceFlush(),
        shutdown: () => exporter.shutdown(),
      };
      if (exporter.selectAggregationTemporality) {
        wrapped.selectAggregationTemporality = (type: InstrumentType): AggregationTemporality =>
          exporter.selectAggregationTemporality!(type);
      }
      if (exporter.selectAggregation) {
        wrapped.selectAggregation = (type: InstrumentType): AggregationOption => exporter.selectAggregation!(type);
      }
      return wrapped;
    },
  };
}
