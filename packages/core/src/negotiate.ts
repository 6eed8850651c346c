// The one Accept-header negotiation between Prometheus text 0.0.4 and OpenMetrics 1.0.0, used by
// @ogf/prom-export's handler and @ogf/status-http's /metrics alike. Text is the answer whenever
// the header is absent or accepts neither format: a scraper always gets something it can read,
// never a 406.

/** The two exposition formats. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** The content type of Prometheus text 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** The content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * The content type of a format.
 *
 * @example
 * contentTypeOf('openmetrics'); // 'application/openmetrics-text; version=1.0.0; charset=utf-8'
 */
export function contentTypeOf(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}

interface Match {
  q: number;
  /** 2 for an exact type, 1 for `type/*`, 0 for `*\/*`. */
  specificity: number;
  order: number;
}

type Matches = Partial<Record<ExpositionFormat, Match>>;

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const Q_VALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const MAX_HEADER_LENGTH = 4096;

interface Range {
  type: string;
  subtype: string;
  q: number;
  version: string | undefined;
}

/** One media range, or undefined when it is malformed (bad type, a parameter without `=`, a bad q). */
function parseRange(text: string): Range | undefined {
  const [mediaRange = '', ...params] = text.split(';');
  const [type = '', subtype = '', extra] = mediaRange.trim().toLowerCase().split('/');
  if (extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  if (type === '*' && subtype !== '*') return undefined;
  let q = 1;
  let version: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) return undefined;
    const name = param.slice(0, eq).trim().toLowerCase();
    const value = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'q') {
      if (!Q_VALUE.test(value)) return undefined;
      q = Number(value);
    } else if (name === 'version') {
      version = value;
    }
  }
  return { type, subtype, q, version };
}

/** The formats a range matches, with its specificity. */
function formatsOf(range: Range): [ExpositionFormat, number][] {
  const { type, subtype, version } = range;
  if (type === '*')
    return [
      ['text', 0],
      ['openmetrics', 0],
    ];
  if (type === 'text' && subtype === '*') return [['text', 1]];
  if (type === 'text' && subtype === 'plain' && (version === undefined || version === '0.0.4')) return [['text', 2]];
  if (type === 'application' && subtype === '*') return [['openmetrics', 1]];
  if (type === 'application' && subtype === 'openmetrics-text' && (version === undefined || version === '1.0.0')) {
    return [['openmetrics', 2]];
  }
  return [];
}

/**
 * Picks the exposition format for an `Accept` header.
 *
 * - Each format's q-value comes from the most specific range that matches it (RFC 9110 §12.5.1):
 *   `text/plain` (version absent or 0.0.4) and `application/openmetrics-text` (version absent or
 *   1.0.0) are exact, `text/*` and `application/*` partial, `*\/*` matches both.
 * - OpenMetrics wins with the higher q; on equal q the more specific range wins, then the earlier
 *   one (as Prometheus' own client libraries do).
 * - Malformed ranges are ignored; the rest still count. An absent or over-long header, or one
 *   that accepts neither format (or OpenMetrics only with q=0), gives `'text'`.
 *
 * @example
 * negotiateFormat('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3'); // 'openmetrics'
 * negotiateFormat('text/plain;q=0.5, application/openmetrics-text;q=0.5'); // 'text' (equal q, text first)
 */
export function negotiateFormat(accept: string | null | undefined): ExpositionFormat {
  if (!accept || accept.length > MAX_HEADER_LENGTH) return 'text';
  const matches: Matches = {};
  const parts = accept.split(',');
  for (let order = 0; order < parts.length; order++) {
    const range = parseRange(parts[order] as string);
    if (range === undefined) continue;
    for (const [format, specificity] of formatsOf(range)) {
      const known = matches[format];
      if (!known || specificity > known.specificity || (specificity === known.specificity && range.q > known.q)) {
        matches[format] = { q: range.q, specificity, order };
      }
    }
  }
  const om = matches.openmetrics;
  const text = matches.text;
  if (!om || om.q <= 0) return 'text';
  if (!text || text.q < om.q) return 'openmetrics';
  if (text.q > om.q) return 'text';
  if (om.specificity !== text.specificity) return om.specificity > text.specificity ? 'openmetrics' : 'text';
  return om.order < text.order ? 'openmetrics' : 'text';
}
