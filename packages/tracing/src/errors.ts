// One error class per package, recognised across packages by a registered-symbol brand rather
// than by `instanceof` (two copies of a package, or two packages, each have their own class).

const BRAND: symbol = Symbol.for('ogf.error');

/** What went wrong, in a form code can branch on. */
export type OgfErrorCode = 'INVALID_OPTIONS' | 'ERR_OGF_SPAN_ENDED';

/** The error @ogf/tracing throws at construction, for options it cannot use, and reports through `onError` (calls on an ended span). */
export class OgfError extends Error {
  readonly code: string;

  constructor(code: OgfErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OgfError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }
}

/**
 * True for an `OgfError` from any @ogf package.
 *
 * @example
 * try { createBatchTracer({ jobRelation: 'sibling' as never }); }
 * catch (error) { if (isOgfError(error)) console.log(error.code); } // 'INVALID_OPTIONS'
 */
export function isOgfError(value: unknown): value is OgfError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
