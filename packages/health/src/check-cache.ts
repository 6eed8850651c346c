// Cache reachability through the application's Redis client: PING, its latency, and a fast answer
// when the client already knows it is disconnected (its offline queue would otherwise hold the
// PING until the timeout).
import { elapsedMs, latencyResult, markDependency } from './dependency.js';
import { OgfError } from './errors.js';
import { optionalThreshold } from './options.js';
import type { HealthCheck } from './types.js';

/** node-redis v4/v5 clients and ioredis instances both fit. */
export interface PingableCache {
  ping(): unknown;
  /** node-redis: the socket is open (connect() was called and quit() was not). */
  readonly isOpen?: boolean;
  /** node-redis: connected and ready for commands. */
  readonly isReady?: boolean;
  /** ioredis: 'wait' | 'connecting' | 'connect' | 'ready' | 'reconnecting' | 'close' | 'end' … */
  readonly status?: string;
}

export interface CacheCheckOptions {
  /** Report `degraded` when PING takes longer than this. Default: never. */
  degradedAfterMs?: number;
}

const IOREDIS_DOWN = new Set(['reconnecting', 'close', 'end']);

/**
 * Checks a Redis cache with PING through an existing client (node-redis or ioredis); latency in
 * details.
 *
 * @example
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * health.register('cache', cacheCheck(redis), { critical: false });
 */
export function cacheCheck(client: PingableCache, options: CacheCheckOptions = {}): HealthCheck {
  if (typeof client !== 'object' || client === null || typeof client.ping !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_CLIENT', 'cacheCheck expects a Redis client with ping() (node-redis or ioredis)');
  }
  const degradedAfterMs = optionalThreshold(options.degradedAfterMs, 'degradedAfterMs');
  return markDependency(async () => {
    if (client.isOpen === false) return { status: 'unhealthy', message: 'not_connected' };
    if (client.isReady === false || (typeof client.status === 'string' && IOREDIS_DOWN.has(client.status))) {
      return { status: 'unhealthy', message: 'unavailable', details: { client_status: client.status ?? 'not_ready' } };
    }
    const start = performance.now();
    const reply = await client.ping();
    const latency = elapsedMs(start);
    if (typeof reply === 'string' && reply.toUpperCase() !== 'PONG') {
      return { status: 'unhealthy', message: 'unexpected_reply', details: { latency_ms: latency } };
    }
    return latencyResult(latency, degradedAfterMs);
  });
}
