// Families → exposition text. A cursor renders a bounded number of lines per step, so the same
// code serves the synchronous pure functions and the sliced renderer that yields to the event loop.
import type { HrTime } from '@opentelemetry/api';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { escapeHelp, escapeLabelValue, formatValue } from './escape.js';
import type { Exemplar, ExemplarSource } from './exemplars.js';
import { byBucket, exemplarSuffix, newest } from './exemplars.js';
import type { RenderCache } from './labels.js';
import { labelPart } from './labels.js';
import { prometheusLabelName } from './names.js';
import type { Family, OtelSource, Reporter } from './plan.js';
import type { PromClientMetric } from './types.js';

export interface CursorOptions {
  readonly openMetrics: boolean;
  /** OpenMetrics `_created` samples. */
  readonly created: boolean;
  /** Where exemplars come from (OpenMetrics only; undefined writes none). */
  readonly exemplars?: ExemplarSource | undefined;
}

/** Renders families a few lines at a time. */
export interface Cursor {
  /** Renders about `budget` lines; true once everything (and `# EOF`) is written. */
  step(budget: number): boolean;
  /** The text rendered since the last `take` (a chunk of the exposition), and forgets it. */
  take(): string;
}

const VALID_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function header(family: Family, om: boolean): string {
  if (!om) {
    const type = family.type === 'info' ? 'gauge' : family.type;
    return `# HELP ${family.name} ${escapeHelp(family.help, false)}\n# TYPE ${family.name} ${type}\n`;
  }
  const unit = family.unit === '' ? '' : `# UNIT ${family.omName} ${family.unit}\n`;
  return `# HELP ${family.omName} ${escapeHelp(family.help, true)}\n# TYPE ${family.omName} ${family.type}\n${unit}`;
}

function isEmpty(family: Family): boolean {
  if (family.info !== undefined) return false;
  if (family.foreign) return family.foreign.values.length === 0;
  return family.sources.every((source) => source.metric.dataPoints.length === 0);
}

function seconds(time: HrTime): string {
  return formatValue(time[0] + time[1] / 1e9);
}

function leFragments(bounds: readonly number[], cache: RenderCache): string[] {
  let fragments = cache.les.get(bounds);
  if (fragments === undefined) {
    fragments = bounds.map((bound) => `le="${formatValue(bound)}"} `);
    cache.les.set(bounds, fragments);
  }
  return fragments;
}

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

function renderForeign(family: Family, metric: PromClientMetric, om: boolean, report: Reporter): string {
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

/** A cursor over the families in one format. */
export function createCursor(families: readonly Family[], options: CursorOptions, cache: RenderCache, report: Reporter): Cursor {
  const om = options.openMetrics;
  let out = '';
  let fi = 0;
  let si = 0;
  let pi = 0;
  let open = false;
  let done = false;
  // Series keys of the open family. Distinct SDK attribute sets can only share a label text when
  // the mapping is lossy (sanitised or reserved keys, non-string values), so the set is filled
  // only from the first lossy point on, after back-filling the keys written before it.
  let seen: Set<string> | undefined;
  let lossy = false;
  let sample = '';
  let base = '';
  const exemplarSource = options.exemplars;
  // The exemplars of one point; a throwing source is reported and writes none.
  const exemplarsOf = (source: OtelSource, point: DataPoint<unknown>): readonly Exemplar[] | undefined => {
    if (exemplarSource === undefined) return undefined;
    try {
      return exemplarSource.exemplars({ scope: source.scopeName, name: source.metric.descriptor.name, attributes: point.attributes });
    } catch (error) {
      report('ERR_OGF_COLLECT_FAILED', 'exemplar-source', `the exemplar source failed: ${String(error)}; exemplars left out`);
      return undefined;
    }
  };
  const onInvalidKey = (key: string): void =>
    report('ERR_OGF_INVALID_NAME', `key:${key}`, `attribute key ${JSON.stringify(key)} has no valid label characters; left out`);

  // Writes one OTel point; returns how many lines it was worth.
  const keyOf = (family: Family, scope: string, attrs: string): string => (family.sources.length > 1 ? `${scope}\u0000${attrs}` : attrs);
  // Keys of the points of the open family written before the current one (their parts are cached).
  const backfill = (family: Family): Set<string> => {
    const keys = new Set<string>();
    for (let s = 0; s <= si; s++) {
      const source = family.sources[s] as OtelSource;
      const points = source.metric.dataPoints;
      const end = s === si ? pi : points.length;
      for (let p = 0; p < end; p++) {
        keys.add(keyOf(family, source.scope, labelPart((points[p] as DataPoint<unknown>).attributes, cache, onInvalidKey).text));
      }
    }
    return keys;
  };

  const writePoint = (family: Family, source: OtelSource, point: DataPoint<number | Histogram>): number => {
    const part = labelPart(point.attributes, cache, onInvalidKey);
    const attrs = part.text;
    const scope = source.scope;
    if (part.lossy && !lossy) {
      lossy = true;
      seen = backfill(family);
    }
    const key = seen === undefined ? '' : keyOf(family, scope, attrs);
    if (seen?.has(key)) {
      report(
        'ERR_OGF_DUPLICATE_SERIES',
        `series:${family.name}`,
        `family "${family.name}" has two points with the same labels (attributes that differ only in characters or types Prometheus cannot show); the later is dropped`,
      );
      return 1;
    }
    seen?.add(key);
    let braces = part.braces;
    if (part.scope !== scope || braces === undefined) {
      const labels = attrs === '' ? scope : scope === '' ? attrs : `${attrs},${scope}`;
      braces = labels === '' ? ' ' : `{${labels}} `;
      part.scope = scope;
      part.braces = braces;
    }
    if (family.type !== 'histogram') {
      const value = point.value as number;
      if (family.type === 'counter' && !(value >= 0)) {
        report('ERR_OGF_INVALID_VALUE', `value:${family.name}`, `counter "${family.name}" has a NaN or negative value; point dropped`);
        return 1;
      }
      const exemplar = family.type === 'counter' ? newest(exemplarsOf(source, point)) : undefined;
      const suffix = exemplar === undefined ? '' : exemplarSuffix(exemplar, family.name, report);
      out += `${sample}${braces}${formatValue(value)}${suffix}\n`;
      if (om && options.created && family.type === 'counter') out += `${base}_created${braces}${seconds(point.startTime)}\n`;
      return 1;
    }
    const histogram = point.value as Histogram;
    const bounds = histogram.buckets.boundaries;
    const counts = histogram.buckets.counts;
    const fragments = leFragments(bounds, cache);
    const prefix = braces === ' ' ? `${base}_bucket{` : `${base}_bucket${braces.slice(0, -2)},`;
    const exemplars = byBucket(exemplarsOf(source, point), bounds);
    const suffix = (i: number): string => {
      const exemplar = exemplars?.[i];
      return exemplar === undefined ? '' : exemplarSuffix(exemplar, family.name, report);
    };
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += counts[i] ?? 0;
      out += `${prefix}${fragments[i] as string}${cumulative}${exemplars === undefined ? '' : suffix(i)}\n`;
    }
    out += `${prefix}le="+Inf"} ${histogram.count}${exemplars === undefined ? '' : suffix(bounds.length)}\n`;
    // The sum is only meaningful (and, in OpenMetrics, only allowed) when no bucket is negative.
    const sum = histogram.sum;
    const sumOk = sum !== undefined && sum >= 0 && !((bounds[0] ?? 0) < 0);
    if (sumOk) out += `${base}_sum${braces}${formatValue(sum)}\n`;
    if (sumOk || !om) out += `${base}_count${braces}${histogram.count}\n`;
    if (om && options.created) out += `${base}_created${braces}${seconds(point.startTime)}\n`;
    return bounds.length + 3;
  };

  const step = (budget: number): boolean => {
    let left = budget;
    while (fi < families.length) {
      const family = families[fi] as Family;
      if (!open) {
        if (isEmpty(family)) {
          fi++;
          continue;
        }
        out += header(family, om);
        if (family.info !== undefined || family.foreign) {
          out += family.foreign ? renderForeign(family, family.foreign, om, report) : `target_info{${family.info}} 1\n`;
          fi++;
          left -= family.foreign ? family.foreign.values.length : 1;
          if (left <= 0) return false;
          continue;
        }
        open = true;
        seen = undefined;
        lossy = false;
        si = 0;
        pi = 0;
        base = om ? family.omName : family.name;
        sample = family.type === 'counter' ? `${family.omName}_total` : base;
      }
      while (si < family.sources.length) {
        const source = family.sources[si] as OtelSource;
        const points = source.metric.dataPoints as DataPoint<number | Histogram>[];
        while (pi < points.length) {
          left -= writePoint(family, source, points[pi] as DataPoint<number | Histogram>);
          pi++;
          if (left <= 0) return false;
        }
        si++;
        pi = 0;
      }
      open = false;
      fi++;
    }
    if (!done) {
      if (om) out += '# EOF\n';
      done = true;
    }
    return true;
  };

  const take = (): string => {
    const chunk = out;
    out = '';
    // Converting to a number makes V8 flatten the rope of template pieces into one sequential
    // string now, while the pieces are young: chunks that outlive a scavenge are then one object each.
    if (Number(chunk) === 0) return chunk;
    return chunk;
  };

  return { step, take };
}
