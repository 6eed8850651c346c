// One error class for the package, recognised across @ogf packages by a shared brand rather than
// by `instanceof` (two copies of a package, or two packages, each have their own class).
const OGF_ERROR = Symbol.for('ogf.error');

/** Codes this package reports, either thrown at construction or passed to `onError`. */
export type StatusHttpErrorCode =
  | 'INVALID_OPTIONS'
  | 'HEALTH_SOURCE_FAILED'
  | 'METRICS_SOURCE_FAILED'
  | 'INVALID_HEALTH_STATUS'
  | 'NON_FINITE_NUMBER'
  | 'LISTEN_FAILED';

/** The error @ogf/status-http throws (misconfiguration) and reports through `onError` (runtime). */
export class OgfError extends Error {
  /** A {@link StatusHttpErrorCode} here; other @ogf packages have their own codes. */
  readonly code: string;

  constructor(code: StatusHttpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OgfError';
    this.code = code;
    Object.defineProperty(this, OGF_ERROR, { value: true });
  }
}

/**
 * True for an error raised by any @ogf package (they share the `Symbol.for('ogf.error')` brand).
 *
 * @example
 * try {
 *   createStatusApp({ token: '' });
 * } catch (error) {
 *   if (isOgfError(error)) console.error(error.code); // 'INVALID_OPTIONS'
 * }
 */
export function isOgfError(value: unknown): value is OgfError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OGF_ERROR] === true;
}
