// prom-client families (from `registry.getMetricsAsJSON()`) → exposition lines, in either format.
import { escapeLabelValue, formatValue } from './escape.js';
import { prometheusLabelName } from './names.js';
import type { Family, Reporter } from './plan.js';
import type { PromClientMetric } from './types.js';

const VALID_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function foreignLabels(labels: Partial<Record<string, string | number>>): string {
  let out = '';
  for (const key in labels) {
    const value = labels[key];
    if (value === undefined) continue;
    const name = VALID_LABEL.test(key) ? key : prometheusLabelName(key);
    if (name === '') continue;
    const text = typeof value === 'number' ? formatValue(value) : escapeLabelValue(String(value));
    out += `${out === '' ? '' : ','}${name}="${text}"`;
  }
  return out;
}

/** The lines of one prom-client family (its header is written by the cursor). */
export function renderForeign(family: Family, metric: PromClientMetric, om: boolean, report: Reporter): string {
  // OpenMetrics forbids `_sum` (and so `_count`) on a histogram with negative buckets.
  const negative =
    om && family.type === 'histogram' && metric.values.some((v) => v.metricName?.endsWith('_bucket') && Number(v.labels.le) < 0);
  let out = '';
  for (const sample of metric.values) {
    let name = sample.metricName ?? metric.name;
    if (negative && (name.endsWith('_sum') || name.endsWith('_count'))) continue;
    if (family.type === 'counter') {
      if (!(sample.value >= 0)) {
        report(
          'ERR_OGF_INVALID_VALUE',
          `value:${family.name}`,
          `prom-client counter "${family.name}" has a NaN or negative value; point dropped`,
        );
        continue;
      }
      if (om && sample.metricName === undefined) name = `${family.omName}_total`;
    }
    const labels = foreignLabels(sample.labels);
    out += `${name}${labels === '' ? '' : `{${labels}}`} ${formatValue(sample.value)}\n`;
  }
  return out;
}
