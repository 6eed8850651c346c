// Guards for JSON request bodies: 415 unless the body is declared JSON, 413 past the size limit
// (declared or streamed), 400 when it does not parse.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import { errorResponse } from './errors.ts';

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

export function jsonBody(maxBytes: number): MiddlewareHandler {
  const requireJson: MiddlewareHandler = async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (!JSON_TYPE.test(type)) {
      return errorResponse(c, 415, 'unsupported_media_type', 'the request body must be JSON (Content-Type: application/json)');
    }
    await next();
  };
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of the body is not read: tell the client this connection ends with the answer.
      c.header('Connection', 'close');
      return errorResponse(c, 413, 'payload_too_large', `the request body must be at most ${maxBytes} bytes`);
    },
  });
  const parse: MiddlewareHandler = async (c, next) => {
    try {
      await c.req.json();
    } catch {
      return errorResponse(c, 400, 'malformed_json', 'the request body is not valid JSON');
    }
    await next();
  };
  return every(requireJson, limit, parse);
}
