// Raw TCP probes for tests of servers: does the port accept, does Redis answer PING. No client
// library, so the probe cannot be what hides a server that does not answer.
import { createConnection } from 'node:net';

/**
 * Whether something accepts a TCP connection on 127.0.0.1:`port`.
 *
 * @example
 * ```ts
 * expect(await tcpAccepts(pg.port)).toBe(true);
 * ```
 */
export function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Sends a Redis inline PING to 127.0.0.1:`port` and resolves with the reply line (`+PONG`).
 *
 * @example
 * ```ts
 * expect(await redisPing(redis.port)).toBe('+PONG');
 * ```
 */
export function redisPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().trim());
    });
    socket.write('PING\r\n');
  });
}
