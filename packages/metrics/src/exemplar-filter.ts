// Which measurements may become exemplars: the three filters of OTEL_METRICS_EXEMPLAR_FILTER.
import { OgfError } from './errors.js';

/**
 * `trace_based` (default): measurements inside a sampled span; `always_on`: inside any valid span,
 * sampled or not; `always_off`: none (nothing is wrapped, so the hot path is unchanged).
 */
export type ExemplarFilter = 'trace_based' | 'always_on' | 'always_off';

/** The values of `OTEL_METRICS_EXEMPLAR_FILTER`, default first. */
export const EXEMPLAR_FILTERS: readonly ExemplarFilter[] = ['trace_based', 'always_on', 'always_off'];

/**
 * Validates an exemplar filter name (case-insensitive, as OTel reads environment variables);
 * undefined or '' gives the default `trace_based`. Throws an `OgfError` (`ERR_OGF_INVALID_OPTION`)
 * naming `source` otherwise.
 *
 * @example
 * const filter = parseExemplarFilter(process.env.OTEL_METRICS_EXEMPLAR_FILTER, 'OTEL_METRICS_EXEMPLAR_FILTER');
 */
export function parseExemplarFilter(value: unknown, source = 'exemplarFilter'): ExemplarFilter {
  if (value === undefined || value === '') return 'trace_based';
  const name = typeof value === 'string' ? value.trim().toLowerCase() : value;
  const found = EXEMPLAR_FILTERS.find((filter) => filter === name);
  if (found === undefined) {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      `${source} must be one of ${EXEMPLAR_FILTERS.map((f) => `"${f}"`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return found;
}
