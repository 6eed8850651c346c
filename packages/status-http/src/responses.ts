// Every response this package writes goes through here, so each one carries `Cache-Control:
// no-store` and `nosniff`, and CORS headers appear only when CORS was configured.

/** Headers as a plain record (cheap to build, and the fast path of @hono/node-server). */
export type HeaderRecord = Record<string, string>;

/** The content type of every JSON body. */
export const JSON_CONTENT_TYPE = 'application/json';

/** Headers every response starts from. */
export function baseHeaders(contentType: string, extra?: HeaderRecord): HeaderRecord {
  return {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  };
}

/** A response whose body is dropped for HEAD while its headers stay the same as for GET. */
export function respond(status: number, body: string, headers: HeaderRecord, head: boolean): Response {
  return new Response(head ? null : body, { status, headers });
}

/** A small JSON error body such as `{"error":"not_found"}`. */
export function errorResponse(status: number, error: string, head: boolean, extra?: HeaderRecord): Response {
  return respond(status, `{"error":${JSON.stringify(error)}}`, baseHeaders(JSON_CONTENT_TYPE, extra), head);
}
