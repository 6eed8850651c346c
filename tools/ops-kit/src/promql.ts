// PromQL for dashboard panels, built from the metric catalog of @ogf/metrics: a metric is named by
// its OTel instrument name (a typo does not compile), and its Prometheus name, kind and unit come
// from the catalog, so a renamed metric or a changed unit flows into the dashboard on regeneration.
import { metricDefinition } from '@ogf/metrics';
import type { MetricDefinition, MetricKind, MetricName } from '@ogf/metrics';

/** Every series the dashboard reads is filtered by the `job` template variable. */
export const JOB_SELECTOR = '{job=~"$job"}';

/** The range Grafana picks for rate(): at least four scrape intervals. */
export const RATE_WINDOW = '$__rate_interval';

/** The catalog entry, checked to be of the kind the query needs. */
export function catalogMetric(name: MetricName, kinds: readonly MetricKind[]): MetricDefinition {
  const definition = metricDefinition(name);
  if (!kinds.includes(definition.kind)) {
    throw new Error(`${name} is a ${definition.kind}; this query needs a ${kinds.join(' or ')}`);
  }
  return definition;
}

function by(labels: readonly string[]): string {
  return labels.length > 0 ? ` by (${labels.join(', ')})` : '';
}

/** Per-second rate of a counter, summed (optionally by some of its attributes). */
export function counterRate(name: MetricName, labels: readonly string[] = []): string {
  const { prometheusName } = catalogMetric(name, ['counter']);
  return `sum${by(labels)} (rate(${prometheusName}${JOB_SELECTOR}[${RATE_WINDOW}]))`;
}

/** How much a counter grew over the dashboard's time range. */
export function counterIncrease(name: MetricName): string {
  const { prometheusName } = catalogMetric(name, ['counter']);
  return `sum(increase(${prometheusName}${JOB_SELECTOR}[$__range]))`;
}

/** The current value of a gauge or up-down counter, summed over instances. */
export function gaugeSum(name: MetricName): string {
  const { prometheusName } = catalogMetric(name, ['gauge', 'updowncounter']);
  return `sum(${prometheusName}${JOB_SELECTOR})`;
}

/**
 * Batches waiting for a worker: the recording rule `job:queue_backlog:size` (rules/slis.yml). With
 * @ogf/bullmq it counts the shared queue once, however many processes report it (max by queue);
 * with the in-memory queue it adds up each process's own `queue_size`.
 */
export function queuedBatches(): string {
  return `sum(job:queue_backlog:size${JOB_SELECTOR})`;
}

/** The `quantile` (0..1) of a histogram over the rate window, from its buckets. */
export function histogramQuantile(name: MetricName, quantile: number, labels: readonly string[] = []): string {
  const { prometheusName } = catalogMetric(name, ['histogram']);
  return `histogram_quantile(${quantile}, sum${by(['le', ...labels])} (rate(${prometheusName}_bucket${JOB_SELECTOR}[${RATE_WINDOW}])))`;
}

/** The mean of a histogram's observations over the rate window. */
export function histogramMean(name: MetricName): string {
  const { prometheusName } = catalogMetric(name, ['histogram']);
  return `sum(rate(${prometheusName}_sum${JOB_SELECTOR}[${RATE_WINDOW}])) / sum(rate(${prometheusName}_count${JOB_SELECTOR}[${RATE_WINDOW}]))`;
}

/**
 * An OpenTelemetry counter is exported only after its first increment, so "no failures yet" is
 * an absent series. `orZero` shows it as 0 instead of "No data" (for label-less aggregates).
 */
export function orZero(expr: string): string {
  return `(${expr}) or vector(0)`;
}

/** Share (0..1) of `part` in `part + rest`, where either counter may not exist yet. */
export function counterShare(part: MetricName, rest: MetricName): string {
  const a = orZero(counterRate(part));
  const b = orZero(counterRate(rest));
  return `(${a}) / ((${a}) + (${b}))`;
}

/** Grafana's unit for a catalog unit. */
export function grafanaUnit(definition: MetricDefinition): string {
  switch (definition.unit) {
    case 's':
      return 's';
    case 'g':
      return 'massg';
    default:
      return 'short';
  }
}

/** Seconds since a timestamp gauge (seconds since the epoch), the newest over instances. */
export function secondsSince(name: MetricName): string {
  const definition = catalogMetric(name, ['gauge']);
  if (definition.unit !== 's') throw new Error(`${name} is not a timestamp in seconds`);
  return `time() - max(${definition.prometheusName}${JOB_SELECTOR})`;
}
