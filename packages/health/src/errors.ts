// One error class for the package, branded so that other @ogf packages (and other copies of this
// one) recognise it without importing it.
const BRAND = Symbol.for('ogf.error');

/** What went wrong, in a word: `invalid_option`, `invalid_check`, `duplicate_check`, `reserved_name`, `dependency_in_liveness`, `invalid_client`. */
export type HealthErrorCode =
  | 'invalid_option'
  | 'invalid_check'
  | 'duplicate_check'
  | 'reserved_name'
  | 'dependency_in_liveness'
  | 'invalid_client';

/** The error @ogf/health throws on misconfiguration (never while probing). */
export class OgfError extends Error {
  readonly code: string;

  constructor(code: HealthErrorCode, message: string, options?: { cause?: unknown }) {
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
 * try { health.register('db', check); } catch (error) { if (isOgfError(error)) console.log(error.code); }
 */
export function isOgfError(value: unknown): value is OgfError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
