// Details are free-form, so they get the same treatment as messages: strings scrubbed, values under
// secret-looking keys dropped, errors reduced to their category, and the shape kept small and
// JSON-safe (no NaN, Infinity, bigint, functions or cycles).
import { redactFailure, scrubMessage } from '@ogf/core';

const SECRET_KEY =
  /pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|auth|credential|cookie|session|connection[_-]?string|dsn|^url$|^uri$/i;
const MAX_DEPTH = 4;
const MAX_ENTRIES = 32;

/** A JSON-safe, redacted copy of a check's details, or undefined when nothing is left. */
export function sanitizeDetails(details: unknown): Record<string, unknown> | undefined {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return undefined;
  const clean = sanitizeObject(details as Record<string, unknown>, 0, new WeakSet());
  return Object.keys(clean).length > 0 ? clean : undefined;
}

function sanitizeObject(value: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  seen.add(value);
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const key of Object.keys(value)) {
    if (count++ >= MAX_ENTRIES) break;
    if (SECRET_KEY.test(key)) {
      out[key] = '[redacted]';
      continue;
    }
    const clean = sanitizeValue(value[key], depth + 1, seen);
    if (clean !== undefined) out[key] = clean;
  }
  return out;
}

function sanitizeValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
      return scrubMessage(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (value instanceof Error) return redactFailure(value);
      if (seen.has(value) || depth > MAX_DEPTH) return '[omitted]';
      if (Array.isArray(value)) {
        seen.add(value);
        return value.slice(0, MAX_ENTRIES).map((item) => sanitizeValue(item, depth + 1, seen) ?? null);
      }
      return sanitizeObject(value as Record<string, unknown>, depth, seen);
    }
    default:
      return undefined;
  }
}
