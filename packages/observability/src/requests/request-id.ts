// Request ids: taken from the caller's `X-Request-ID` when it is short and made of safe characters
// (so it can go into logs and span attributes as is), generated otherwise.
import { createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/** The longest `X-Request-ID` we accept from a caller; longer ones are replaced. */
export const MAX_REQUEST_ID_LENGTH = 128;
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]+$/;
const REQUEST_ID_KEY = createContextKey('ogf.request_id');

/**
 * The caller's request id when it is 1–128 characters of `A-Z a-z 0-9 . _ : @ / + = -`, else
 * `undefined` (the caller gets a generated one).
 *
 * @example
 * ```ts
 * acceptRequestId('3f2a-17'); // '3f2a-17'
 * acceptRequestId('<script>'); // undefined
 * ```
 */
export function acceptRequestId(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length === 0 || value.length > MAX_REQUEST_ID_LENGTH) return undefined;
  return SAFE_REQUEST_ID.test(value) ? value : undefined;
}

/** A fresh request id (a UUID v4). */
export function generateRequestId(): string {
  return crypto.randomUUID();
}

/** The context with the request id set: spans started in it and log lines written in it carry the id. */
export function withRequestId(ctx: Context, requestId: string): Context {
  return ctx.setValue(REQUEST_ID_KEY, requestId);
}

/**
 * The request id of the request being handled in `ctx`, if any.
 *
 * @example
 * ```ts
 * const id = requestIdOf(context.active());
 * ```
 */
export function requestIdOf(ctx: Context): string | undefined {
  const value = ctx.getValue(REQUEST_ID_KEY);
  return typeof value === 'string' ? value : undefined;
}
