// Every answer this package gives is built here as a transport-neutral Reply, so each one carries
// `Cache-Control: no-store` and `nosniff`, and CORS headers appear only when CORS was configured.
// The fetch handler turns a Reply into a Response; the Node adapter writes it to the socket.

/** Headers as a plain record. */
export type HeaderRecord = Record<string, string>;

/**
 * An answer before it meets a transport. `body` is the GET body, also kept for HEAD's length; a
 * stream (only ever for a GET of `/metrics` from a source with `renderStream`) goes out chunked.
 */
export interface Reply {
  status: number;
  headers: HeaderRecord;
  body: string | ReadableStream<Uint8Array> | null;
}

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

/** A small JSON error body such as `{"error":"not_found"}`. */
export function errorReply(status: number, error: string, extra?: HeaderRecord): Reply {
  return { status, headers: baseHeaders(JSON_CONTENT_TYPE, extra), body: `{"error":${JSON.stringify(error)}}` };
}

const encoder = new TextEncoder();

/**
 * The Web Response for a Reply; HEAD keeps the headers, drops the body and says how long the GET
 * body is (a body-less Response would otherwise go out without Content-Length).
 */
export function toResponse(reply: Reply, head: boolean): Response {
  if (!head || reply.body === null) return new Response(reply.body, { status: reply.status, headers: reply.headers });
  if (typeof reply.body !== 'string') {
    // Not produced for HEAD; should one arrive, nobody reads it, so it is released.
    void reply.body.cancel().catch(() => undefined);
    return new Response(null, { status: reply.status, headers: reply.headers });
  }
  const headers = { ...reply.headers, 'content-length': String(encoder.encode(reply.body).byteLength) };
  return new Response(null, { status: reply.status, headers });
}
