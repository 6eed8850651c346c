// Node-only ways to run the status routes: a node:http request listener, Express/Connect
// middleware, and a standalone server bound to 127.0.0.1 by default. All go through
// @hono/node-server's request listener, which turns IncomingMessage into a Web Request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { OgfError } from './errors.js';
import { createStatusDispatcher } from './handler.js';
import type { StatusAppOptions } from './options.js';
import { rawPathOf } from './paths.js';

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
      if (reply.body !== null) headers['content-length'] = Buffer.byteLength(reply.body);
      try {
        outgoing.writeHead(reply.status, headers);
        // HEAD: headers only, with the length GET would have.
        if (reply.body === null || request.method === 'HEAD') outgoing.end();
        else outgoing.end(reply.body);
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
}

/** A running standalone status server. */
export interface StatusServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:9464`. */
  url: string;
  hostname: string;
  port: number;
  server: Server;
  /** Stops accepting connections, closes idle keep-alive ones, resolves when the server is closed. */
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
  const { port = 9464, hostname = '127.0.0.1', ...appOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `@ogf/status-http: port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const server = createServer(
    { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    createStatusListener(appOptions),
  );
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
