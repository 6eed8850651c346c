// The codes @ogf/metrics raises. The class and the guard are @ogf/core's: one OgfError for every @ogf
// package, recognised by `isOgfError` (from @ogf/core, re-exported by the index) whichever package raised it.
import { OgfError as CoreOgfError } from '@ogf/core';

/** What went wrong: thrown for options (`ERR_OGF_INVALID_OPTION`), reported to `onError` for dropped values and failed recordings. */
export type MetricsErrorCode =
  | 'ERR_OGF_INVALID_OPTION'
  | 'ERR_OGF_INVALID_VALUE'
  | 'ERR_OGF_CARDINALITY'
  | 'ERR_OGF_RECORDING'
  | 'ERR_OGF_CLASSIFIER'
  | 'ERR_OGF_MISUSE';

/** @ogf/core's OgfError with the codes of this package. */
export type OgfError = CoreOgfError<MetricsErrorCode>;
/** @ogf/core's OgfError class, typed so this package can only raise its own codes. */
export const OgfError: new (code: MetricsErrorCode, message: string, options?: { cause?: unknown }) => OgfError = CoreOgfError;
