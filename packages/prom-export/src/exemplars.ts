// Exemplars: the small interface the exporter reads them from, and how they are written. The
// exporter knows nothing of where exemplars come from (a reservoir on the MeterProvider's
// histograms, see @ogf/metrics' createExemplarReservoir); it asks once per series per scrape, puts
// each exemplar on the bucket its value falls in (newest wins) and writes them in OpenMetrics only.
import type { Attributes } from '@opentelemetry/api';
import { escapeLabelValue, formatValue } from './escape.js';
import type { Reporter } from './plan.js';

/** One example measurement of a series: labels that identify it (usually its trace), its value and time. */
export interface Exemplar {
  /** E.g. `{ trace_id, span_id }`. Names and values together may have at most 128 characters. */
  readonly labels: Readonly<Record<string, string>>;
  /** The measured value. */
  readonly value: number;
  /** When it was measured, in Unix milliseconds. Optional. */
  readonly timeUnixMs?: number;
}

/** The series an exporter asks exemplars for. */
export interface ExemplarQuery {
  /** Instrumentation scope name (the meter's name). */
  readonly scope: string;
  /** OTel instrument name (e.g. `batch.processing.duration`). */
  readonly name: string;
  /** The data point's attributes, as the SDK collected them. */
  readonly attributes: Attributes;
}

/**
 * Where the exporter reads exemplars from. Called once per histogram or counter point per
 * OpenMetrics render; return a few recent exemplars of that series (any order), or undefined.
 */
export interface ExemplarSource {
  exemplars(query: ExemplarQuery): readonly Exemplar[] | undefined;
}

/** OpenMetrics: the exemplar's label names and values, together, at most 128 UTF-8 characters. */
export const MAX_EXEMPLAR_LABEL_CHARS = 128;
const VALID_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Counts code points, as OpenMetrics counts "UTF-8 characters". */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** ` # {labels} value timestamp`, or '' (reported) when the exemplar cannot be written. */
export function exemplarSuffix(exemplar: Exemplar, family: string, report: Reporter): string {
  const { labels, value, timeUnixMs } = exemplar;
  let text = '';
  let length = 0;
  for (const name in labels) {
    const raw = labels[name];
    if (typeof raw !== 'string' || !VALID_LABEL.test(name)) {
      report('ERR_OGF_INVALID_NAME', `exemplar-label:${family}`, `an exemplar of "${family}" has an invalid label name; exemplar dropped`);
      return '';
    }
    // OpenMetrics allows `}` in a label value, but the Python reference parser ends an exemplar's
    // label set at the first `}` it meets; a trace id never has one, so such an exemplar is dropped.
    if (raw.includes('}')) {
      report('ERR_OGF_INVALID_VALUE', `exemplar-brace:${family}`, `an exemplar label value of "${family}" contains "}"; exemplar dropped`);
      return '';
    }
    length += name.length + characters(raw);
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(raw)}"`;
  }
  if (length > MAX_EXEMPLAR_LABEL_CHARS) {
    report(
      'ERR_OGF_INVALID_VALUE',
      `exemplar-length:${family}`,
      `an exemplar of "${family}" has ${length} label characters, over OpenMetrics' ${MAX_EXEMPLAR_LABEL_CHARS}; exemplar dropped`,
    );
    return '';
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    report('ERR_OGF_INVALID_VALUE', `exemplar-value:${family}`, `an exemplar of "${family}" has a non-finite value; exemplar dropped`);
    return '';
  }
  const time = typeof timeUnixMs === 'number' && Number.isFinite(timeUnixMs) ? ` ${formatValue(timeUnixMs / 1000)}` : '';
  return ` # {${text}} ${formatValue(value)}${time}`;
}

const newer = (a: Exemplar, b: Exemplar | undefined): boolean => b === undefined || (a.timeUnixMs ?? 0) >= (b.timeUnixMs ?? 0);

/**
 * The exemplars by bucket (index i: `le` = bounds[i]; index bounds.length: `+Inf`), each the newest
 * whose value falls in that bucket; undefined when there are none.
 */
export function byBucket(exemplars: readonly Exemplar[] | undefined, bounds: readonly number[]): (Exemplar | undefined)[] | undefined {
  if (exemplars === undefined || exemplars.length === 0) return undefined;
  const buckets: (Exemplar | undefined)[] = new Array<Exemplar | undefined>(bounds.length + 1);
  for (const exemplar of exemplars) {
    const value = exemplar.value;
    if (typeof value !== 'number' || value !== value) continue;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    if (newer(exemplar, buckets[i])) buckets[i] = exemplar;
  }
  return buckets;
}

/** The newest exemplar of a list, for a counter's `_total` line. */
export function newest(exemplars: readonly Exemplar[] | undefined): Exemplar | undefined {
  let best: Exemplar | undefined;
  if (exemplars === undefined) return undefined;
  for (const exemplar of exemplars) if (newer(exemplar, best)) best = exemplar;
  return best;
}
