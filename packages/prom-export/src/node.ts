// Node-only: a prom-client registry with the Node.js process metrics, ready to merge into the
// exporter (`new PrometheusExporter({ registries: [createNodeMetricsRegistry()] })`).
import { Registry, collectDefaultMetrics } from 'prom-client';

/** Options of `createNodeMetricsRegistry`. */
export interface NodeMetricsRegistryOptions {
  /** Prefix for every metric name, e.g. `'myapp_'`. Default ''. */
  prefix?: string;
  /** Labels added to every Node metric. */
  labels?: Record<string, string>;
  /** Buckets (seconds) of `nodejs_gc_duration_seconds`. Default prom-client's. */
  gcDurationBuckets?: number[];
  /** Resolution (ms) of the event-loop delay monitor. Default prom-client's (10). */
  eventLoopMonitoringPrecision?: number;
  /**
   * Keep prom-client's gauges named `nodejs_active_{handles,requests,resources}_total`. Default
   * false: Prometheus' linter rejects `_total` on gauges, and each is the sum of the per-type
   * gauge without the suffix (`sum(nodejs_active_handles)`).
   */
  keepTotalGauges?: boolean;
}

const TOTAL_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * Creates a prom-client registry with `collectDefaultMetrics` (CPU, memory, event-loop lag, GC,
 * handles, file descriptors) registered on it. Needs the optional peer dependency `prom-client`.
 *
 * @example
 * const exporter = new PrometheusExporter({ registries: [createNodeMetricsRegistry({ prefix: 'app_' })] });
 */
export function createNodeMetricsRegistry(options: NodeMetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  const prefix = options.prefix ?? '';
  collectDefaultMetrics({
    register: registry,
    prefix,
    ...(options.labels ? { labels: options.labels } : {}),
    ...(options.gcDurationBuckets ? { gcDurationBuckets: options.gcDurationBuckets } : {}),
    ...(options.eventLoopMonitoringPrecision ? { eventLoopMonitoringPrecision: options.eventLoopMonitoringPrecision } : {}),
  });
  if (!options.keepTotalGauges) {
    for (const name of TOTAL_GAUGES) {
      if (registry.getSingleMetric(prefix + name)) registry.removeSingleMetric(prefix + name);
    }
  }
  return registry;
}
