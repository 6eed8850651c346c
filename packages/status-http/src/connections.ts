// Closing a node:http server without waiting on clients. `server.close()` waits for every
// connection to end, and `closeIdleConnections()` only covers keep-alive connections that have
// finished a request: a connection that was opened and never sent a byte (a load balancer's TCP
// check, a port scanner) kept `close()` pending until the client gave up. The tracker knows
// which sockets are serving a request and closes all the others the moment shutdown begins.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What {@link trackConnections} returns. */
export interface ConnectionTracker {
  /** Connections open right now. */
  readonly open: number;
  /** Requests being served right now. */
  readonly inFlight: number;
  /**
   * Stops accepting connections; closes at once every connection that is not serving a request
   * (idle keep-alive, or never sent one); lets in-flight requests finish and closes their
   * connections after the response. Resolves when the server is closed. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Tracks a `node:http` server's connections so that it can close without waiting on idle or
 * silent clients. Call it right after creating the server, before it accepts connections.
 *
 * @example
 * const server = createServer(listener);
 * const connections = trackConnections(server);
 * server.listen(8080);
 * process.once('SIGTERM', () => void connections.close());
 */
export function trackConnections(server: Server): ConnectionTracker {
  // The responses being written on each open socket (empty = idle or never used).
  const sockets = new Map<Socket, Set<ServerResponse>>();
  let closing: Promise<void> | undefined;
  let inFlight = 0;

  // Tells the client this connection ends with the answer, when the headers are not out yet.
  const lastOnConnection = (response: ServerResponse): void => {
    if (!response.headersSent) response.setHeader('connection', 'close');
  };

  server.on('connection', (socket: Socket) => {
    sockets.set(socket, new Set());
    socket.once('close', () => sockets.delete(socket));
    // Accepted in the instant between close() and the listener stopping.
    if (closing) socket.destroy();
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const responses = sockets.get(socket) ?? new Set<ServerResponse>();
    sockets.set(socket, responses);
    responses.add(response);
    inFlight += 1;
    if (closing) lastOnConnection(response);
    response.once('close', () => {
      inFlight -= 1;
      responses.delete(response);
      if (closing && responses.size === 0 && sockets.has(socket)) socket.destroySoon();
    });
  });

  return {
    get open() {
      return sockets.size;
    },
    get inFlight() {
      return inFlight;
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
          else resolve();
        });
        for (const [socket, responses] of sockets) {
          if (responses.size === 0) socket.destroy();
          else responses.forEach(lastOnConnection);
        }
      });
      return closing;
    },
  };
}
