// Exemplars by default: a reservoir on our MeterProvider's histograms (so the batch metrics, the
// request metrics and your own histograms on `obs.meterProvider` keep trace ids per bucket), read
// by the Prometheus exporter. `exemplarFilter: 'always_off'` (or metrics off) builds none.
import { createExemplarReservoir } from '@ogf/metrics';
import type { ExemplarReservoir } from '@ogf/metrics';
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
