import { diag } from '@opentelemetry/api';
import { OgfError } from './errors.js';

/** Why a value was dropped; the `reason` attribute of `ogf.metrics.dropped`. */
export type DropReason = 'nan' | 'infinite' | 'negative' | 'not_a_number';

/** Validates values on the hot path and reports problems without ever throwing. */
export interface Guard {
  /** The value when it is a finite number >= 0; otherwise undefined, counted and reported. */
  check(value: unknown, operation: string, field: string): number | undefined;
  /** Hands an error to onError; a throwing hook is ignored. */
  report: (error: OgfError) => void;
}

function reasonFor(value: unknown): DropReason {
  if (typeof value !== 'number') return 'not_a_number';
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return 'infinite';
  return 'negative';
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
    check(value: unknown, operation: string, field: string): number | undefined {
      // NaN fails `>= 0`, Infinity fails `< Infinity`: one comparison chain on the fast path.
      if (typeof value === 'number' && value >= 0 && value < Infinity) return value;
      const reason = reasonFor(value);
      onDrop(reason);
      report(
        new OgfError(
          'ERR_OGF_INVALID_VALUE',
          `${operation}: ${field} must be a finite number >= 0, got ${describe(value)}; dropped (reason ${reason})`,
        ),
      );
      return undefined;
    },
    report,
  };
}
