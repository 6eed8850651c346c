// An HTTP dependency: one request through the fetch you give (or the global one), aborted by the
// check's signal, judged by its status code. The URL never appears in the report: it may carry
// credentials or internal host names.
import { elapsedMs, latencyResult, markDependency } from './dependency.js';
import { OgfError } from './errors.js';
import { optionalThreshold } from './options.js';
import type { HealthCheck } from './types.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpCheckOptions {
  /** Your fetch (a client with its own agent, retries off). Default: the global fetch. */
  fetch?: FetchLike;
  /** Default 'GET'. */
  method?: string;
  headers?: HeadersInit;
  /** The status codes that count as healthy. Default: any 2xx. */
  expectedStatus?: number | readonly number[] | ((status: number) => boolean);
  /** Report `degraded` when the response takes longer than this. Default: never. */
  degradedAfterMs?: number;
}

/**
 * Checks an HTTP dependency: a request with the check's timeout and an expected status.
 *
 * @example
 * health.register('factors_api', httpCheck('https://factors.example.com/healthz', { expectedStatus: [200, 204] }));
 */
export function httpCheck(url: string | URL, options: HttpCheckOptions = {}): HealthCheck {
  let target: string;
  try {
    target = new URL(url).href;
  } catch (cause) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'httpCheck expects an absolute URL', { cause });
  }
  const doFetch = options.fetch ?? (typeof fetch === 'function' ? fetch : undefined);
  if (typeof doFetch !== 'function') throw new OgfError('ERR_OGF_INVALID_OPTION', 'httpCheck needs a fetch function (none is global here)');
  const accepts = statusMatcher(options.expectedStatus);
  const degradedAfterMs = optionalThreshold(options.degradedAfterMs, 'degradedAfterMs');
  const method = options.method ?? 'GET';

  return markDependency(async (signal) => {
    const start = performance.now();
    const response = await doFetch(target, {
      method,
      signal,
      redirect: 'manual',
      ...(options.headers ? { headers: options.headers } : {}),
    });
    const latency = elapsedMs(start);
    // Free the connection: we only wanted the status.
    try {
      await response.body?.cancel();
    } catch {
      // already consumed or closed
    }
    if (!accepts(response.status)) {
      return { status: 'unhealthy', message: 'unexpected_status', details: { status_code: response.status, latency_ms: latency } };
    }
    return latencyResult(latency, degradedAfterMs, { status_code: response.status });
  });
}

function statusMatcher(expected: HttpCheckOptions['expectedStatus']): (status: number) => boolean {
  if (expected === undefined) return (status) => status >= 200 && status < 300;
  if (typeof expected === 'function') return expected;
  if (typeof expected === 'number') return (status) => status === expected;
  if (Array.isArray(expected) && expected.every((code) => typeof code === 'number')) return (status) => expected.includes(status);
  throw new OgfError('ERR_OGF_INVALID_OPTION', 'expectedStatus must be a status code, a list of them or a predicate');
}
