const OGF_ERROR_BRAND = Symbol.for('ogf.error');

/** Error codes this package raises. */
export type OgfErrorCode =
  | 'ERR_OGF_INVALID_OPTION'
  | 'ERR_OGF_INVALID_VALUE'
  | 'ERR_OGF_CARDINALITY'
  | 'ERR_OGF_RECORDING'
  | 'ERR_OGF_CLASSIFIER'
  | 'ERR_OGF_MISUSE';

/**
 * The one error type of @ogf/metrics: a `code`, a `cause`, and a message that says what was
 * expected. Branded with `Symbol.for('ogf.error')` so other @ogf packages recognise it.
 *
 * @example
 * ```ts
 * throw new OgfError('ERR_OGF_INVALID_OPTION', 'workerCapacity must be a finite number >= 0, got -1');
 * ```
 */
export class OgfError extends Error {
  readonly code: string;

  constructor(code: OgfErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OgfError';
    this.code = code;
    // The brand other @ogf packages check; not enumerable, so it stays out of JSON and logs.
    Object.defineProperty(this, OGF_ERROR_BRAND, { value: true });
  }
}

/**
 * True for an `OgfError` from any @ogf package (checked by brand, not `instanceof`).
 *
 * @example
 * ```ts
 * metrics = createBatchMetrics({ onError: (err) => { if (isOgfError(err)) log.warn(err.code) } });
 * ```
 */
export function isOgfError(value: unknown): value is OgfError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[OGF_ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
