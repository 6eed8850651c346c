// The codes @ogf/observability raises. The class and the guard are @ogf/core's: one OgfError for every @ogf
// package, recognised by `isOgfError` whichever package raised it.
import { OgfError as CoreOgfError } from '@ogf/core';

export { isOgfError } from '@ogf/core';

/**
 * What went wrong: a setting (option or `OTEL_*` variable) it cannot use, a shutdown that failed,
 * a misused lifecycle handle (reported to `onError`), or a `run.lock` wait that timed out (thrown).
 */
export type ObservabilityErrorCode = 'ERR_OGF_INVALID_OPTION' | 'ERR_OGF_SHUTDOWN' | 'ERR_OGF_LIFECYCLE_MISUSE' | 'ERR_OGF_LOCK_TIMEOUT';

/** @ogf/core's OgfError with the codes of this package. */
export type OgfError = CoreOgfError<ObservabilityErrorCode>;
/** @ogf/core's OgfError class, typed so this package can only raise its own codes. */
export const OgfError: new (code: ObservabilityErrorCode, message: string, options?: { cause?: unknown }) => OgfError = CoreOgfError;
