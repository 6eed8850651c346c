// The codes @ogf/bullmq raises. The class and the guard are @ogf/core's: one OgfError for every
// @ogf package, recognised by `isOgfError` whichever package raised it.
import { OgfError as CoreOgfError } from '@ogf/core';

/**
 * What went wrong: an option it cannot use (thrown), a job whose trace carrier could not be read
 * (`ERR_OGF_BULLMQ_CARRIER`, the job still runs in a new trace), a queue that could not be read at
 * collect time (`ERR_OGF_BULLMQ_COLLECT`, no new reading of its gauges in that collection), or a
 * telemetry call that failed inside BullMQ (`ERR_OGF_RECORDING`). All but the first go to `onError`.
 */
export type BullMQErrorCode = 'ERR_OGF_INVALID_OPTION' | 'ERR_OGF_BULLMQ_CARRIER' | 'ERR_OGF_BULLMQ_COLLECT' | 'ERR_OGF_RECORDING';

/** @ogf/core's OgfError with the codes of this package. */
export type OgfError = CoreOgfError<BullMQErrorCode>;
/** @ogf/core's OgfError class, typed so this package can only raise its own codes. */
export const OgfError: new (code: BullMQErrorCode, message: string, options?: { cause?: unknown }) => OgfError = CoreOgfError;

/** Reports an error without ever throwing into the caller. */
export type Report = (error: OgfError) => void;
