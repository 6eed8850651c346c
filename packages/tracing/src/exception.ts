// What an error becomes on a span: a type, a message passed through the same redaction as the
// health output (@ogf/core's redactFailure, shared with @ogf/health), and a stack whose frames are kept but
// whose header (which repeats the raw message) is rewritten with the redacted one.
import { categorizeFailure, redactFailure } from '@ogf/core';

/** An error reduced to what may be published on a span. */
export interface SafeError {
  /** The error's class name (`TypeError`, `OgfError`), or the thrown value's `typeof`. */
  name: string;
  /** `error.type`: the failure category when recognised (`timeout`), otherwise `name`. */
  errorType: string;
  /** The redacted message. */
  message: string;
  /** The stack with the redacted message in its header; absent when the error had none. */
  stack?: string;
}

const FRAME = /^\s+at\s/;

/** Reduces any thrown value to a publishable name, category, message and stack. Never throws. */
export function toSafeError(error: unknown): SafeError {
  try {
    const name = error instanceof Error ? error.name || 'Error' : typeof error;
    const message = redactFailure(error);
    const errorType = categorizeFailure(error) ?? name;
    const safe: SafeError = { name, errorType, message };
    const stack = error instanceof Error ? error.stack : undefined;
    if (typeof stack === 'string' && stack.length > 0) {
      const frames = stack.split('\n').filter((line) => FRAME.test(line));
      safe.stack = [`${name}: ${message}`, ...frames].join('\n');
    }
    return safe;
  } catch {
    // A hostile error (a throwing getter, a revoked proxy) still yields a span error.
    return { name: 'Error', errorType: 'Error', message: 'error' };
  }
}
