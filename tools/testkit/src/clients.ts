// Clients a test ties to a throwaway server. A server that stops or pauses under a connected client
// makes the client emit 'error' (PostgreSQL sends 57P01 "terminating connection due to administrator
// command"); with no listener that error is uncaught and fails the whole run after every test has
// passed. Tied clients keep such errors for the test to read, and the server's stop() closes them,
// waiting until their sockets are really closed, before it stops.
import pg from 'pg';

/** A client of any Redis library: it reports errors as events and can be closed. */
export interface ClosableClient {
  on(event: 'error', listener: (error: Error) => void): unknown;
  quit?(): unknown;
  disconnect?(): unknown;
  destroy?(): unknown;
}

export interface ClientTies {
  /** Connection errors the tied clients reported (they would otherwise be uncaught). */
  errors: () => Error[];
  /** Closes every tied client and resolves once their connections are gone. */
  closeAll: () => Promise<void>;
}

/** How long closeAll() waits for a pool whose clients are still checked out before ending them. */
const RELEASE_WAIT_MS = 5_000;

export interface PgTies extends ClientTies {
  pool: (config?: Omit<pg.PoolConfig, 'connectionString'>) => pg.Pool;
  client: (config?: Omit<pg.ClientConfig, 'connectionString'>) => pg.Client;
}

export function createPgTies(url: string): PgTies {
  const errors: Error[] = [];
  const record = (error: Error): void => void errors.push(error);
  const pools = new Set<pg.Pool>();
  const clients = new Set<pg.Client>();
  // Every client connection still open; a pg Client emits 'end' once its socket has closed.
  const open = new Set<pg.Client>();
  const watch = (client: pg.Client): void => {
    client.on('error', record);
    open.add(client);
    client.once('end', () => open.delete(client));
  };

  const endPool = async (pool: pg.Pool): Promise<void> => {
    // pool.end() resolves once the pool has let go of its clients, before their sockets close.
    if (!pool.ending) await Promise.race([pool.end(), new Promise((resolve) => setTimeout(resolve, RELEASE_WAIT_MS))]);
  };

  return {
    pool(config = {}) {
      const pool = new pg.Pool({ ...config, connectionString: url });
      pool.on('error', record);
      pool.on('connect', (client) => watch(client));
      pools.add(pool);
      return pool;
    },
    client(config = {}) {
      const client = new pg.Client({ ...config, connectionString: url });
      watch(client);
      clients.add(client);
      return client;
    },
    errors: () => [...errors],
    async closeAll() {
      await Promise.all([...pools].map(endPool));
      // Whatever is still connected (a client checked out and never released, a lone Client).
      await Promise.all([...open].map((client) => client.end().catch(record)));
      pools.clear();
      clients.clear();
    },
  };
}

export interface RedisTies extends ClientTies {
  /** Ties a node-redis or ioredis client to the server; returns it. */
  tie: <T extends ClosableClient>(client: T) => T;
}

export function createRedisTies(): RedisTies {
  const errors: Error[] = [];
  const tied = new Set<ClosableClient>();
  return {
    tie(client) {
      client.on('error', (error) => void errors.push(error));
      tied.add(client);
      return client;
    },
    errors: () => [...errors],
    async closeAll() {
      for (const client of tied) {
        // destroy()/disconnect() close the socket at once; quit() waits for an answer that a
        // paused server never sends.
        if (client.destroy) client.destroy();
        else if (client.disconnect) client.disconnect();
        else await Promise.resolve(client.quit?.()).catch(() => undefined);
      }
      tied.clear();
    },
  };
}
