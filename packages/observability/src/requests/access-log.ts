// The access log line of one request: written after the request, outside its context, with the
// server span's ids and the request id passed as fields (so no context switch is needed to write
// it, and a logger without our mixin gets them too).
import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { addSpanIds } from '../logger.js';

/** Paths longer than this are cut in the log line (a scan of long paths must not make huge lines). */
const MAX_LOGGED_PATH = 256;

/** One `info` line, `event: "http.request"`; a broken destination never fails the request. */
export function writeAccessLog(
  logger: Logger,
  span: Span,
  requestId: string,
  request: { method: string; path: string; route: string | undefined; status: number; seconds: number },
): void {
  try {
    const line: Record<string, unknown> = {
      event: 'http.request',
      method: request.method,
      path: request.path.length > MAX_LOGGED_PATH ? `${request.path.slice(0, MAX_LOGGED_PATH)}…` : request.path,
    };
    if (request.route !== undefined) line.route = request.route;
    line.status = request.status;
    line.duration_ms = Math.round(request.seconds * 1e6) / 1e3;
    line.request_id = requestId;
    // A non-recording span (tracing off, sampled out) still carries the ids of its trace; invalid ids are left out.
    addSpanIds(line, span.spanContext());
    logger.info(line, 'request');
  } catch {
    // A broken log destination never fails the request.
  }
}
