// Node-only ways to run the status routes: a node:http request listener, Express/Connect
// middleware, and a standalone server bound to 127.0.0.1 by default. All go through
// @hono/node-server's request listener, which turns IncomingMessage into a Web Request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { trackConnections } from './connections.js';
import { OgfError } from './errors.js';
import { createStatusDispatcher } from './handler.js';
import type { StatusAppOptions } from './options.js';
import { rawPathOf } from './paths.js';
import { pumpBody } from './pump.js';

export { trackConnections, type ConnectionTracker } from './connections.js';

/** A `node:http` request listener. */
export type StatusListener = (request: IncomingMessage, response: ServerResponse) => void;

/** Express/Connect middleware: answers status routes, passes everything else to `next()`. */
export type StatusMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

function nodeListener(options: StatusAppOptions): { listener: StatusListener; owns: (url: string) => boolean } {
  const dispatcher = createStatusDispatcher(options);
  // The adapter turns the IncomingMessage into a Request; the answer is written straight to the
  // socket (no Response body stream to pump), and the adapter is told it was already sent. The
  // host process's global Request/Response are left alone.
  const handle = getRequestListener(
    async (request, { outgoing }) => {
      const reply = (await dispatcher.reply(request)) as NonNullable<Awaited<ReturnType<typeof dispatcher.reply>>>;
      const headers: Record<string, string | number> = { ...reply.headers };
      const body = reply.body;
      if (typeof body === 'string') headers['content-length'] = Buffer.byteLength(body);
      try {
        outgoing.writeHead(reply.status, headers);
        // HEAD: headers only, with the length GET would have.
        if (body === null || request.method === 'HEAD') outgoing.end();
        else if (typeof body === 'string') outgoing.end(body);
        // A streamed exposition: chunked, written as it is rendered.
        else await pumpBody(body, outgoing);
      } catch {
        // The client went away mid-answer; nothing left to tell it.
        outgoing.destroy();
      }
      return RESPONSE_ALREADY_SENT;
    },
    { overrideGlobalObjects: false },
  );
  return {
    listener: (request, response) => {
      handle(request, response).catch(() => response.destroy());
    },
    owns: (url) => dispatcher.owns(rawPathOf(url)),
  };
}

/**
 * The status routes as a `node:http` request listener, for a server you create yourself.
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(createStatusListener({ health: checker, metrics: source })).listen(9464, '127.0.0.1');
 */
export function createStatusListener(options: StatusAppOptions): StatusListener {
  return nodeListener(options).listener;
}

/**
 * The status routes as Express (or Connect) middleware; other paths go on to `next()`. Mounted
 * under a path (`app.use('/ops', …)`), routes are matched below that path.
 *
 * @example
 * const app = express();
 * app.use(createStatusMiddleware({ health: checker, metrics: source, token: process.env.STATUS_TOKEN }));
 */
export function createStatusMiddleware(options: StatusAppOptions): StatusMiddleware {
  const { listener, owns } = nodeListener(options);
  return (request, response, next) => {
    if (!owns(request.url ?? '/')) {
      next();
      return;
    }
    listener(request, response);
  };
}

/** Options of {@link startStatusServer}: the app's options plus where to listen. */
export interface StatusServerOptions extends StatusAppOptions {
  /** Default 9464; 0 picks a free port. */
  port?: number;
  /** Default '127.0.0.1' (loopback only); use '0.0.0.0' or '::' to listen on every interface. */
  hostname?: string;
  /** How long a client may take to send the request headers before it gets 408 and is closed. Default 10000. */
  headersTimeoutMs?: number;
  /** How long a client may take to send a whole request (headers and body). Default 30000; at least `headersTimeoutMs`. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open between requests. Default 5000. */
  keepAliveTimeoutMs?: number;
}

const TIMEOUT_DEFAULTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 } as const;

function timeout(options: StatusServerOptions, name: keyof typeof TIMEOUT_DEFAULTS): number {
  const value = options[name] ?? TIMEOUT_DEFAULTS[name];
  if (!Number.isInteger(value) || value < 1 || value > 3_600_000) {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      `@ogf/status-http: ${name} must be an integer from 1 to 3600000 (ms), got ${String(value)}`,
    );
  }
  return value;
}

/** A running standalone status server. */
export interface StatusServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:9464`. */
  url: string;
  hostname: string;
  port: number;
  server: Server;
  /**
   * Stops accepting connections, closes at once every connection not serving a request (idle
   * keep-alive ones and ones that never sent a request), lets in-flight requests finish, and
   * resolves when the server is closed.
   */
  close(): Promise<void>;
}

/**
 * Starts a standalone HTTP server for the status routes on its own port, bound to 127.0.0.1 unless
 * told otherwise.
 *
 * @example
 * const server = await startStatusServer({ health: checker, metrics: source, port: 9464 });
 * console.log(`status on ${server.url}/health`);
 * process.on('SIGTERM', () => void server.close());
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const {
    port = 9464,
    hostname = '127.0.0.1',
    headersTimeoutMs: _h,
    requestTimeoutMs: _r,
    keepAliveTimeoutMs: _k,
    ...appOptions
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `@ogf/status-http: port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const headersTimeout = timeout(options, 'headersTimeoutMs');
  const requestTimeout = timeout(options, 'requestTimeoutMs');
  if (requestTimeout < headersTimeout) {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      `@ogf/status-http: requestTimeoutMs (${requestTimeout}) must be at least headersTimeoutMs (${headersTimeout})`,
    );
  }
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: timeout(options, 'keepAliveTimeoutMs'),
      // Node enforces the two timeouts above on this period (default 30 s, which would let a slow
      // client hold a connection for up to timeout + 30 s).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    createStatusListener(appOptions),
  );
  const connections = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    const onError = (cause: Error): void => {
      reject(new OgfError('ERR_OGF_LISTEN_FAILED', `@ogf/status-http: cannot listen on ${hostname}:${port}: ${cause.message}`, { cause }));
    };
    server.once('error', onError);
    server.listen(port, hostname, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${boundPort}`,
    hostname,
    port: boundPort,
    server,
    close: () => connections.close(),
  };
}
