import { diag } from '@opentelemetry/api';
import { OgfError } from './errors.js';

/** Why a value was dropped; the `reason` attribute of `ogf.metrics.dropped`. */
export type DropReason = 'nan' | 'infinite' | 'negative' | 'not_a_number' | 'too_large';

/**
 * The largest value recorded: 2^53 (9,007,199,254,740,992). Past it adjacent float64 values are
 * 2 or more apart, so a counter (or a histogram sum) that once took such a value rounds away every
 * later addition smaller than that spacing, for good: one 1e300 kg batch would hide the emissions
 * of every batch after it. Such a value is dropped with reason `too_large`.
 */
export const MAX_RECORDED_VALUE: number = 2 ** 53;

/** The largest `emissionsKg` recorded: it is recorded in grams, so 2^53 g (about 9.0e12 kg). */
export const MAX_EMISSIONS_KG: number = MAX_RECORDED_VALUE / 1000;

/** Validates values on the hot path and reports problems without ever throwing. */
export interface Guard {
  /**
   * The value when it is a number from 0 to `max` (default MAX_RECORDED_VALUE; a value that is
   * scaled before it is recorded passes the limit divided by its scale); otherwise undefined,
   * counted and reported.
   */
  check(value: unknown, operation: string, field: string, max?: number): number | undefined;
  /** Hands an error to onError; a throwing hook is ignored. */
  report: (error: OgfError) => void;
}

function reasonFor(value: unknown, max: number): DropReason {
  if (typeof value !== 'number') return 'not_a_number';
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return 'infinite';
  return value > max ? 'too_large' : 'negative';
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return String(value);
  return typeof value;
}

/** The default hook: OTel's diagnostic logger, silent unless the application sets one. */
export function defaultOnError(error: OgfError): void {
  diag.warn(`@ogf/metrics: ${error.message}`);
}

export function createGuard(onError: (error: OgfError) => void, onDrop: (reason: DropReason) => void): Guard {
  const report = (error: OgfError): void => {
    try {
      onError(error);
    } catch {
      // The hook is the user's; telemetry never throws into the host.
    }
  };
  return {
    check(value: unknown, operation: string, field: string, max = MAX_RECORDED_VALUE): number | undefined {
      // NaN fails `>= 0`, Infinity fails `<= max`: one comparison chain on the fast path.
      if (typeof value === 'number' && value >= 0 && value <= max) return value;
      const reason = reasonFor(value, max);
      onDrop(reason);
      const limit =
        max === MAX_RECORDED_VALUE ? `at most 2^53 (${MAX_RECORDED_VALUE})` : `at most ${max} (2^53 once converted for recording)`;
      const expected = reason === 'too_large' ? limit : 'a finite number >= 0';
      report(
        new OgfError(
          'ERR_OGF_INVALID_VALUE',
          `${operation}: ${field} must be ${expected}, got ${describe(value)}; dropped (reason ${reason})`,
        ),
      );
      return undefined;
    },
    report,
  };
}
