// Database reachability through the pool the application already has: one trivial query (or a
// ping), its latency, and the pool's counters when the client exposes them (node-postgres does).
import { elapsedMs, latencyResult, markDependency } from './dependency.js';
import { OgfError } from './errors.js';
import { optionalThreshold } from './options.js';
import type { HealthCheck } from './types.js';

/** node-postgres Pool/Client, mysql2/promise, PGlite, better-sqlite3 wrappers: anything with `query(sql)`. */
export interface QueryClient {
  query(sql: string): unknown;
}
/** postgres.js: `sql.unsafe('SELECT 1')`. */
export interface UnsafeQueryClient {
  unsafe(sql: string): unknown;
}
/** Clients with a ping (mysql2 connections, MongoDB-style admin handles). */
export interface PingClient {
  ping(): unknown;
}
export type DatabaseClient = QueryClient | UnsafeQueryClient | PingClient;

export interface DatabaseCheckOptions {
  /** The statement to run. Default `SELECT 1`. */
  sql?: string;
  /** Report `degraded` when the round trip takes longer than this. Default: never. */
  degradedAfterMs?: number;
}

/**
 * Checks a database through an existing client (never a connection string): runs `SELECT 1`
 * (or pings), reports latency and, for node-postgres pools, the pool's counters.
 *
 * @example
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * health.register('database', databaseCheck(pool, { degradedAfterMs: 500 }));
 */
export function databaseCheck(client: DatabaseClient, options: DatabaseCheckOptions = {}): HealthCheck {
  const sql = options.sql ?? 'SELECT 1';
  if (typeof sql !== 'string' || sql.trim() === '') throw new OgfError('ERR_OGF_INVALID_OPTION', 'sql must be a non-empty string');
  const degradedAfterMs = optionalThreshold(options.degradedAfterMs, 'degradedAfterMs');
  const target = client as Partial<QueryClient & UnsafeQueryClient & PingClient> | null;
  const probe = pickProbe(target, sql);
  return markDependency(async () => {
    const start = performance.now();
    await probe();
    return latencyResult(elapsedMs(start), degradedAfterMs, poolDetails(target));
  });
}

function pickProbe(client: Partial<QueryClient & UnsafeQueryClient & PingClient> | null, sql: string): () => unknown {
  if ((typeof client === 'object' || typeof client === 'function') && client !== null) {
    if (typeof client.query === 'function') return () => client.query?.(sql);
    if (typeof client.unsafe === 'function') return () => client.unsafe?.(sql);
    if (typeof client.ping === 'function') return () => client.ping?.();
  }
  throw new OgfError('ERR_OGF_INVALID_CLIENT', 'databaseCheck expects a client with query(sql), unsafe(sql) or ping()');
}

function poolDetails(client: object | null): Record<string, unknown> {
  const pool = client as { totalCount?: unknown; idleCount?: unknown; waitingCount?: unknown } | null;
  if (typeof pool?.totalCount !== 'number') return {};
  return {
    pool: {
      total: pool.totalCount,
      ...(typeof pool.idleCount === 'number' ? { idle: pool.idleCount } : {}),
      ...(typeof pool.waitingCount === 'number' ? { waiting: pool.waitingCount } : {}),
    },
  };
}
