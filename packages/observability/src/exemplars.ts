// Exemplars by default: a reservoir on our MeterProvider's histograms (so the batch metrics, the
// request metrics and your own histograms on `obs.meterProvider` keep trace ids per bucket), read
// by the Prometheus exporter. `exemplarFilter: 'always_off'` (or metrics off) builds none.
import { createExemplarReservoir } from '@ogf/metrics';
import type { BatchSummary, ExemplarReservoir } from '@ogf/metrics';
import type { ResolvedConfig } from './config.js';
import type { Providers } from './providers.js';

/** The reservoir the config asks for, or undefined when exemplars (or metrics) are off. */
export function exemplarReservoirFor(config: ResolvedConfig): ExemplarReservoir | undefined {
  if (!config.metrics.enabled || config.metrics.exemplarFilter === 'always_off') return undefined;
  return createExemplarReservoir({ filter: config.metrics.exemplarFilter });
}

/** The providers with the meter provider wrapped by the reservoir (unchanged without one). */
export function withExemplars(providers: Providers, reservoir: ExemplarReservoir | undefined): Providers {
  return reservoir === undefined ? providers : { ...providers, meterProvider: reservoir.wrap(providers.meterProvider) };
}

/** How far back `slowest_recent_batch` of /metrics/json looks. */
const SLOWEST_BATCH_WINDOW_MS = 15 * 60_000;

/**
 * The summary with `slowest_recent_batch`: the largest `batch.processing.duration` exemplar of the
 * last 15 minutes (unchanged when there is none).
 */
export function withSlowestBatch(
  summary: BatchSummary,
  reservoir: ExemplarReservoir | undefined,
  scope: string,
  now: number,
): BatchSummary {
  const slowest = reservoir?.slowest({ scope, name: 'batch.processing.duration', sinceUnixMs: now - SLOWEST_BATCH_WINDOW_MS });
  if (slowest === undefined) return summary;
  return {
    ...summary,
    slowest_recent_batch: {
      trace_id: slowest.labels.trace_id,
      span_id: slowest.labels.span_id,
      duration_seconds: slowest.value,
      at: new Date(slowest.timeUnixMs).toISOString(),
    },
  };
}
