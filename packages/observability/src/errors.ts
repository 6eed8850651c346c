const OGF_ERROR_BRAND: symbol = Symbol.for('ogf.error');

/** Error codes this package raises. */
export type OgfErrorCode = 'ERR_OGF_INVALID_CONFIG' | 'ERR_OGF_SHUTDOWN' | 'ERR_OGF_LIFECYCLE_MISUSE' | 'ERR_OGF_LOCK_TIMEOUT';

/**
 * The one error type of @ogf/observability: a `code`, a `cause`, and a message that names the
 * setting at fault and what it accepts. Branded with `Symbol.for('ogf.error')`, so errors from
 * every @ogf package are recognised by `isOgfError` without importing each other.
 *
 * @example
 * ```ts
 * throw new OgfError('ERR_OGF_INVALID_CONFIG', 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "2"');
 * ```
 */
export class OgfError extends Error {
  readonly code: string;

  constructor(code: OgfErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OgfError';
    this.code = code;
    Object.defineProperty(this, OGF_ERROR_BRAND, { value: true });
  }
}

/**
 * True for an `OgfError` from any @ogf package (checked by brand, not `instanceof`).
 *
 * @example
 * ```ts
 * try { createObservability() } catch (err) { if (isOgfError(err)) console.error(err.message) }
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
