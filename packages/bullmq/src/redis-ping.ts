// Is Redis reachable from this queue or worker? The client must be connected (ioredis status
// `ready`) and answer PING; a client that is reconnecting fails at once instead of queueing the
// PING until Redis returns.
import type { CheckResult } from '@ogf/health';

interface PingableClient {
  status?: string;
  ping?: () => Promise<unknown>;
  runCommand?: (name: string, args: unknown[]) => Promise<unknown>;
}

/**
 * A BullMQ Queue or Worker: BullMQ 6 reaches the Redis client through `getBackend().client`,
 * BullMQ 5 through `client`.
 */
export type RedisOwner = object;

function clientOf(owner: RedisOwner): Promise<PingableClient> {
  const backend = (owner as { getBackend?: () => unknown }).getBackend?.();
  const client =
    (backend as { client?: Promise<PingableClient> } | undefined)?.client ?? (owner as { client?: Promise<PingableClient> }).client;
  return client ?? Promise.reject(new Error('no Redis client (a BullMQ backend other than Redis?)'));
}

function ping(client: PingableClient): Promise<unknown> {
  if (typeof client.ping === 'function') return client.ping();
  if (typeof client.runCommand === 'function') return client.runCommand('ping', []);
  return Promise.reject(new Error('the Redis client has no ping'));
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Error('check aborted'));
    signal.addEventListener('abort', () => reject(new Error('check aborted')), { once: true });
  });
}

/** unhealthy with the connection status, or undefined when Redis answered. */
export async function pingRedis(owner: RedisOwner, signal: AbortSignal): Promise<CheckResult | undefined> {
  try {
    const client = await Promise.race([clientOf(owner), aborted(signal)]);
    if (client.status !== undefined && client.status !== 'ready') {
      return { status: 'unhealthy', message: 'redis_unreachable', details: { connection: client.status } };
    }
    await Promise.race([ping(client), aborted(signal)]);
    return undefined;
  } catch (error) {
    return {
      status: 'unhealthy',
      message: 'redis_unreachable',
      details: { error: error instanceof Error ? error.message : String(error) },
    };
  }
}
