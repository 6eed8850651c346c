// One error class for the package, branded with a registry symbol so that other @ogf packages
// (and other copies of this one) recognise it without importing it.
const BRAND = Symbol.for('ogf.error');

/**
 * What went wrong, in a word.
 * - `invalid_option`: the exporter was configured with something it cannot use (thrown).
 * - `duplicate_family`: two sources produce the same Prometheus family name; the render fails (thrown).
 * - `type_conflict`: two OTel metrics map to one family with different types; the later is dropped (reported).
 * - `name_clash`: a family's sample names collide with another family's; the later is dropped (reported).
 * - `invalid_name`: a metric or attribute name is empty after sanitising; it is dropped (reported).
 * - `unsupported_data`: exponential histograms, delta temporality; dropped (reported).
 * - `invalid_value`: a counter point that is NaN or negative; dropped (reported).
 * - `duplicate_series`: two points of one family with the same labels; the later is dropped (reported).
 * - `collect_failed`: the SDK or a prom-client registry reported an error while collecting (reported).
 * - `render_failed`: the handler could not produce an exposition (reported, answered with 500).
 */
export type PromExportErrorCode =
  | 'invalid_option'
  | 'duplicate_family'
  | 'type_conflict'
  | 'name_clash'
  | 'invalid_name'
  | 'unsupported_data'
  | 'invalid_value'
  | 'duplicate_series'
  | 'collect_failed'
  | 'render_failed';

/** The error @ogf/prom-export throws on misconfiguration and hands to `onError` for dropped data. */
export class OgfError extends Error {
  readonly code: string;

  constructor(code: PromExportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OgfError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Recognises an @ogf error from any @ogf package or copy of one.
 *
 * @example
 * try { await exporter.render(); } catch (error) { if (isOgfError(error)) console.error(error.code); }
 */
export function isOgfError(value: unknown): value is OgfError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
