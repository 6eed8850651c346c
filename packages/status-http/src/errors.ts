// The codes @ogf/status-http raises. The class and the guard are @ogf/core's: one OgfError for every @ogf
// package, recognised by `isOgfError` (from @ogf/core, re-exported by the index) whichever package raised it.
import { OgfError as CoreOgfError } from '@ogf/core';

/** Thrown at construction (`ERR_OGF_INVALID_OPTION`) or when a server cannot listen, or passed to `onError` at runtime. */
export type StatusHttpErrorCode =
  | 'ERR_OGF_INVALID_OPTION'
  | 'ERR_OGF_HEALTH_SOURCE_FAILED'
  | 'ERR_OGF_METRICS_SOURCE_FAILED'
  | 'ERR_OGF_INVALID_HEALTH_STATUS'
  | 'ERR_OGF_NON_FINITE_NUMBER'
  | 'ERR_OGF_LISTEN_FAILED';

/** @ogf/core's OgfError with the codes of this package. */
export type OgfError = CoreOgfError<StatusHttpErrorCode>;
/** @ogf/core's OgfError class, typed so this package can only raise its own codes. */
export const OgfError: new (code: StatusHttpErrorCode, message: string, options?: { cause?: unknown }) => OgfError = CoreOgfError;
