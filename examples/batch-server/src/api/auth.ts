// The optional API token of the mutating routes (API_TOKEN): `Authorization: Bearer <token>`,
// compared in constant time. Separate from the status token, which guards /metrics and /status.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** 401 with a Bearer challenge unless the request carries the token; a no-op without a token. */
export function requireApiToken(token: string | undefined): MiddlewareHandler {
  if (token === undefined) return async (_c, next) => next();
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization');
    const presented = header !== undefined && /^Bearer [^\s]+$/i.test(header) ? header.slice(7) : undefined;
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      c.header('WWW-Authenticate', presented === undefined ? 'Bearer realm="batches"' : 'Bearer realm="batches", error="invalid_token"');
      return errorResponse(c, 401, 'unauthorized', 'this route needs the API token (Authorization: Bearer <API_TOKEN>)');
    }
    await next();
  };
}
