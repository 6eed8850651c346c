// Accept-header negotiation between Prometheus text 0.0.4 and OpenMetrics 1.0.0. Text is the
// answer whenever the header is absent, unparsable or accepts neither: a scraper always gets
// something it can read rather than a 406.
import type { ExpositionFormat } from './types.js';

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

/** Records what one media range says about each format; false when the range is malformed. */
function readRange(range: string, order: number, matches: Matches): boolean {
  const [mediaRange = '', ...params] = range.split(';');
  const [type = '', subtype = '', extra] = mediaRange.trim().toLowerCase().split('/');
  if (extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return false;
  let q = 1;
  let version: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) return false;
    const name = param.slice(0, eq).trim().toLowerCase();
    const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name === 'q') {
      if (!Q_VALUE.test(value)) return false;
      q = Number(value);
    } else if (name === 'version') {
      version = value;
    }
  }
  const note = (format: ExpositionFormat, specificity: number): void => {
    const known = matches[format];
    // The most specific range decides a format's q-value (RFC 9110 §12.5.1).
    if (!known || specificity > known.specificity || (specificity === known.specificity && q > known.q)) {
      matches[format] = { q, specificity, order };
    }
  };
  if (type === '*' && subtype === '*') {
    note('text', 0);
    note('openmetrics', 0);
  } else if (type === 'text' && (subtype === 'plain' || subtype === '*')) {
    note('text', subtype === '*' ? 1 : 2);
  } else if (type === 'application' && subtype === '*') {
    note('openmetrics', 1);
  } else if (type === 'application' && subtype === 'openmetrics-text' && (version === undefined || version === '1.0.0')) {
    note('openmetrics', 2);
  }
  return true;
}

/**
 * Picks the exposition format for an `Accept` header: the format with the higher q-value (each
 * format's q comes from the most specific range matching it); on a tie the more specific range,
 * then the earlier one. Falls back to `'text'` when the header is absent, unparsable or accepts
 * neither format.
 *
 * @example
 * negotiateFormat('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3'); // 'openmetrics'
 */
export function negotiateFormat(accept: string | null | undefined): ExpositionFormat {
  if (!accept || accept.length > 4096) return 'text';
  const matches: Matches = {};
  const ranges = accept.split(',');
  for (let i = 0; i < ranges.length; i++) {
    const range = (ranges[i] as string).trim();
    if (range !== '' && !readRange(range, i, matches)) return 'text';
  }
  const om = matches.openmetrics;
  const text = matches.text;
  if (!om || om.q <= 0) return 'text';
  if (!text || text.q < om.q) return 'openmetrics';
  if (text.q > om.q) return 'text';
  if (om.specificity !== text.specificity) return om.specificity > text.specificity ? 'openmetrics' : 'text';
  return om.order < text.order ? 'openmetrics' : 'text';
}
