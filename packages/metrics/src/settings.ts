import type { ErrorClassifier } from './classify.js';
import { createErrorClassifier } from './classify.js';
import { OgfError } from './errors.js';
import { defaultOnError } from './guard.js';
import type { RecordingMode } from './series.js';
import type { BatchMetricsOptions } from './types.js';

/** The default instrumentation scope: the package's name. */
export const DEFAULT_SCOPE_NAME = '@ogf/metrics';

/** Options after validation, with defaults filled in. */
export interface Settings {
  scopeName: string;
  scopeVersion: string | undefined;
  onError: (error: OgfError) => void;
  workerCapacity: number | undefined;
  classifier: ErrorClassifier;
  lockNames: readonly string[] | undefined;
  maxLockNames: number;
  perBatchActivities: boolean;
  recording: RecordingMode;
  now: () => number;
}

function invalid(message: string): OgfError {
  return new OgfError('ERR_OGF_INVALID_OPTION', `createBatchMetrics: ${message}`);
}

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw invalid(`${name} must be one of ${allowed.map((v) => `'${v}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalFunction<T>(name: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw invalid(`${name} must be a function, got ${typeof value}`);
  return value;
}

/** Validates options once, at construction; misconfiguration throws an OgfError that says what was expected. */
export function normaliseOptions(options: BatchMetricsOptions): Settings {
  if (typeof options !== 'object' || options === null) throw invalid(`options must be an object, got ${String(options)}`);
  const scopeName = options.scopeName ?? DEFAULT_SCOPE_NAME;
  if (typeof scopeName !== 'string' || scopeName.length === 0) throw invalid('scopeName must be a non-empty string');
  const { workerCapacity } = options;
  if (workerCapacity !== undefined && !(typeof workerCapacity === 'number' && workerCapacity >= 0 && workerCapacity < Infinity)) {
    throw invalid(`workerCapacity must be a finite number >= 0, got ${String(workerCapacity)}`);
  }
  const maxLockNames = options.maxLockNames ?? 20;
  // Well under the SDK's default cardinality limit (2000), which tallies must never reach.
  if (!Number.isInteger(maxLockNames) || maxLockNames < 1 || maxLockNames > 1000) {
    throw invalid(`maxLockNames must be an integer from 1 to 1000, got ${String(maxLockNames)}`);
  }
  const { lockNames } = options;
  if (lockNames !== undefined && (!Array.isArray(lockNames) || lockNames.some((n) => typeof n !== 'string' || n.length === 0))) {
    throw invalid('lockNames must be an array of non-empty strings');
  }
  let classifier: ErrorClassifier;
  try {
    classifier = createErrorClassifier({ classifiers: options.errorClassifiers ?? [] });
  } catch (error) {
    throw invalid(`errorClassifiers: ${(error as Error).message}`);
  }
  return {
    scopeName,
    scopeVersion: options.scopeVersion,
    onError: optionalFunction('onError', options.onError, defaultOnError),
    workerCapacity,
    classifier,
    lockNames,
    maxLockNames,
    perBatchActivities: oneOf('activityCounts', options.activityCounts, ['per-activity', 'per-batch'], 'per-activity') === 'per-batch',
    recording: oneOf('recording', options.recording, ['tally', 'instrument'], 'tally'),
    now: optionalFunction('now', options.now, Date.now),
  };
}
