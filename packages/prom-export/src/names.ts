// OpenTelemetry → Prometheus names and units, after the OTel "Prometheus and OpenMetrics
// compatibility" specification (OTLP → Prometheus): invalid characters become `_`, runs of `_`
// collapse, the unit suffix comes before the type suffix, counters end in `_total` exactly once.
import type { MetricKind } from '@ogf/core';

// UCUM-ish abbreviations to the plural words Prometheus base units use. Maps, not object
// literals: a unit is user input, and `toString` must not find Object.prototype's.
const UNIT_WORDS: ReadonlyMap<string, string> = wordMap({
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  kg: 'kilograms',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
});

// The denominator of a rate unit is singular: `By/s` → `bytes_per_second`.
const PER_UNIT_WORDS: ReadonlyMap<string, string> = wordMap({
  s: 'second',
  m: 'minute',
  min: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
});

function wordMap(words: Record<string, string>): ReadonlyMap<string, string> {
  return new Map(Object.entries(words));
}

const CLEAN_NAME = /^[a-zA-Z][a-zA-Z0-9]*(?:_[a-zA-Z0-9]+)*$/;
const NOT_NAME_CHAR = /[^a-zA-Z0-9]+/g;

/** `[^a-zA-Z0-9]` runs (including `_` and `:`) become one `_`; leading and trailing `_` go. */
function tokens(text: string): string {
  if (CLEAN_NAME.test(text)) return text;
  const joined = text.replace(NOT_NAME_CHAR, '_');
  const start = joined.startsWith('_') ? 1 : 0;
  const end = joined.length > start && joined.endsWith('_') ? joined.length - 1 : joined.length;
  return joined.slice(start, end);
}

function unitPart(part: string, words: ReadonlyMap<string, string>): string {
  // `{packet}` annotations say what is counted; Prometheus treats a count of foo as unitless.
  const bare = part.replace(/\{[^}]*\}/g, '').trim();
  if (bare === '' || bare === '1') return '';
  return words.get(bare) ?? tokens(bare);
}

/**
 * The Prometheus unit word for an OTel unit: `s` → `seconds`, `kg` → `kilograms`, `By/s` →
 * `bytes_per_second`, `{batch}` → `''`, and `1` → `ratio` for gauges only ('' otherwise).
 *
 * @example
 * prometheusUnit('By/s'); // 'bytes_per_second'
 */
export function prometheusUnit(unit: string, kind: MetricKind = 'gauge'): string {
  const trimmed = unit.trim();
  if (trimmed === '1') return kind === 'gauge' ? 'ratio' : '';
  const slash = trimmed.indexOf('/');
  const main = unitPart(slash < 0 ? trimmed : trimmed.slice(0, slash), UNIT_WORDS);
  const per = slash < 0 ? '' : unitPart(trimmed.slice(slash + 1), PER_UNIT_WORDS);
  if (per === '') return main;
  return main === '' ? `per_${per}` : `${main}_per_${per}`;
}

function stripSuffix(name: string, suffix: string): string {
  let out = name;
  while (out.length > suffix.length + 1 && out.endsWith(`_${suffix}`)) {
    out = out.slice(0, out.length - suffix.length - 1);
  }
  return out;
}

/**
 * The family name a metric gets in Prometheus text 0.0.4 (OpenMetrics drops a counter's `_total`
 * from the family name and keeps it on the sample). Returns '' when nothing valid remains.
 *
 * @example
 * prometheusMetricName({ name: 'batch.processing.duration', unit: 's', kind: 'histogram' });
 * // 'batch_processing_duration_seconds'
 */
export function prometheusMetricName(metric: { name: string; unit?: string; kind: MetricKind }): string {
  let name = tokens(metric.name);
  if (name === '') return '';
  const counter = metric.kind === 'counter';
  if (counter) name = stripSuffix(name, 'total');
  const unit = prometheusUnit(metric.unit ?? '', metric.kind);
  if (unit !== '' && !name.endsWith(`_${unit}`)) name = `${name}_${unit}`;
  if (counter) name = `${name}_total`;
  const first = name.charCodeAt(0);
  return first >= 48 && first <= 57 ? `_${name}` : name;
}

const CLEAN_LABEL = /^[a-zA-Z][a-zA-Z0-9]*(?:_[a-zA-Z0-9]+)*$/;
const NOT_LABEL_CHAR = /[^a-zA-Z0-9_]/g;
const UNDERSCORES = /__+/g;

/**
 * The Prometheus label name for an attribute key: invalid characters become `_`, runs of `_`
 * collapse to one (so no label ever starts with the reserved `__`), a leading digit gets `key_`.
 * Returns '' for an empty key.
 *
 * @example
 * prometheusLabelName('http.request.method'); // 'http_request_method'
 */
export function prometheusLabelName(key: string): string {
  if (CLEAN_LABEL.test(key)) return key;
  if (key === '') return '';
  const name = key.replace(NOT_LABEL_CHAR, '_').replace(UNDERSCORES, '_');
  const first = name.charCodeAt(0);
  return first >= 48 && first <= 57 ? `key_${name}` : name;
}
