// The codes @ogf/tracing raises. The class and the guard are @ogf/core's: one OgfError for every @ogf
// package, recognised by `isOgfError` (from @ogf/core, re-exported by the index) whichever package raised it.
import { OgfError as CoreOgfError } from '@ogf/core';

/**
 * What went wrong: options it cannot use (thrown at construction), a propagator that threw in
 * `injectContext`/`extractContext`, a span that could not record an error, or a call on a span
 * that had ended (`ERR_OGF_SPAN_ENDED`, the first of each kind); all but the first are reported
 * to `onError`: tracing calls never throw into your code.
 */
export type TracingErrorCode = 'ERR_OGF_INVALID_OPTION' | 'ERR_OGF_PROPAGATION' | 'ERR_OGF_RECORDING' | 'ERR_OGF_SPAN_ENDED';

/** @ogf/core's OgfError with the codes of this package. */
export type OgfError = CoreOgfError<TracingErrorCode>;
/** @ogf/core's OgfError class, typed so this package can only raise its own codes. */
export const OgfError: new (code: TracingErrorCode, message: string, options?: { cause?: unknown }) => OgfError = CoreOgfError;
