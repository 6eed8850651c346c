// The codes @ogf/prom-export raises. The class and the guard are @ogf/core's: one OgfError for every @ogf
// package, recognised by `isOgfError` whichever package raised it.
import { OgfError as CoreOgfError } from '@ogf/core';

export { isOgfError } from '@ogf/core';

/**
 * What went wrong.
 * - `ERR_OGF_INVALID_OPTION`: the exporter was configured with something it cannot use (thrown).
 * - `ERR_OGF_DUPLICATE_FAMILY`: two sources produce the same Prometheus family name; the render fails (thrown).
 * - `ERR_OGF_TYPE_CONFLICT`: two OTel metrics map to one family with different types; the later is dropped (reported).
 * - `ERR_OGF_NAME_CLASH`: a family's sample names collide with another family's; the later is dropped (reported).
 * - `ERR_OGF_INVALID_NAME`: a metric or attribute name is empty after sanitising; it is dropped (reported).
 * - `ERR_OGF_UNSUPPORTED_DATA`: exponential histograms, delta temporality; dropped (reported).
 * - `ERR_OGF_INVALID_VALUE`: a counter point that is NaN or negative; dropped (reported).
 * - `ERR_OGF_DUPLICATE_SERIES`: two points of one family with the same labels; the later is dropped (reported).
 * - `ERR_OGF_COLLECT_FAILED`: the SDK or a prom-client registry reported an error while collecting (reported).
 * - `ERR_OGF_RENDER_FAILED`: the handler could not produce an exposition (reported, answered with 500).
 */
export type PromExportErrorCode =
  | 'ERR_OGF_INVALID_OPTION'
  | 'ERR_OGF_DUPLICATE_FAMILY'
  | 'ERR_OGF_TYPE_CONFLICT'
  | 'ERR_OGF_NAME_CLASH'
  | 'ERR_OGF_INVALID_NAME'
  | 'ERR_OGF_UNSUPPORTED_DATA'
  | 'ERR_OGF_INVALID_VALUE'
  | 'ERR_OGF_DUPLICATE_SERIES'
  | 'ERR_OGF_COLLECT_FAILED'
  | 'ERR_OGF_RENDER_FAILED';

/** @ogf/core's OgfError with the codes of this package. */
export type OgfError = CoreOgfError<PromExportErrorCode>;
/** @ogf/core's OgfError class, typed so this package can only raise its own codes. */
export const OgfError: new (code: PromExportErrorCode, message: string, options?: { cause?: unknown }) => OgfError = CoreOgfError;
