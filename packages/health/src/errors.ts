// The codes @ogf/health raises. The class and the guard are @ogf/core's: one OgfError for every @ogf
// package, recognised by `isOgfError` (from @ogf/core, re-exported by the index) whichever package raised it.
import { OgfError as CoreOgfError } from '@ogf/core';

/** What went wrong: a check or option the checker cannot use (thrown at registration or construction, never while probing). */
export type HealthErrorCode =
  | 'ERR_OGF_INVALID_OPTION'
  | 'ERR_OGF_INVALID_CHECK'
  | 'ERR_OGF_DUPLICATE_CHECK'
  | 'ERR_OGF_RESERVED_NAME'
  | 'ERR_OGF_DEPENDENCY_IN_LIVENESS'
  | 'ERR_OGF_INVALID_CLIENT';

/** @ogf/core's OgfError with the codes of this package. */
export type OgfError = CoreOgfError<HealthErrorCode>;
/** @ogf/core's OgfError class, typed so this package can only raise its own codes. */
export const OgfError: new (code: HealthErrorCode, message: string, options?: { cause?: unknown }) => OgfError = CoreOgfError;
