// The one error class of @ogf. Every package throws it for misconfiguration and hands it to its
// `onError` hook for data it had to drop. Codes follow one convention, Node's: `ERR_OGF_` and an
// upper-case word (`ERR_OGF_INVALID_OPTION`); each package types the codes it raises as a union
// (`HealthErrorCode`, `PromExportErrorCode`, …). Errors are recognised by a registered-symbol brand,
// not `instanceof`: two copies of @ogf/core in one process each have their own class.
const BRAND: symbol = Symbol.for('ogf.error');

/** The shape of every @ogf error code: `ERR_OGF_` and an upper-case word, e.g. `ERR_OGF_INVALID_OPTION`. */
export type OgfErrorCode = `ERR_OGF_${Uppercase<string>}`;

/**
 * An error raised by an @ogf package: a typed `code`, an optional `cause`, and a message that says
 * what was expected.
 *
 * @example
 * throw new OgfError('ERR_OGF_INVALID_OPTION', 'timeoutMs must be a positive number of milliseconds, got -1');
 */
export class OgfError<Code extends OgfErrorCode = OgfErrorCode> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OgfError';
    this.code = code;
    // Not enumerable: the brand stays out of JSON and logs.
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for an {@link OgfError} from any @ogf package, or any copy of @ogf/core.
 *
 * @example
 * try { createHealthChecker({ timeoutMs: -1 }); } catch (error) { if (isOgfError(error)) console.error(error.code); }
 */
export function isOgfError(value: unknown): value is OgfError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/**
 * The hook a factory calls with an {@link OgfError}: the user's `onError` when given (a throwing
 * hook is ignored, never propagated into the caller), otherwise `fallback` — by convention OTel's
 * `diag.warn`, from packages that depend on `@opentelemetry/api`.
 *
 * @example
 * const report = errorReporter(options.onError, (error) => diag.warn(error.message));
 * report(new OgfError('ERR_OGF_INVALID_VALUE', 'durationMs must be finite, got NaN'));
 */
export function errorReporter<Code extends OgfErrorCode>(
  onError: ((error: OgfError<Code>) => void) | undefined,
  fallback: (error: OgfError<Code>) => void,
): (error: OgfError<Code>) => void {
  const hook = onError ?? fallback;
  return (error) => {
    try {
      hook(error);
    } catch {
      // A failing hook must not turn a recording call or a scrape into a failure.
    }
  };
}
