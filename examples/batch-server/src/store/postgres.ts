import pg from 'pg';
import type { Database, Sql } from './database.ts';

/** PostgreSQL adds dedicated sessions: what session-level advisory locks need. */
export interface PostgresDatabase extends Database {
  readonly kind: 'postgres';
  /** A connection of its own until `release()` (with an error: closed, which ends its session and its locks). */
  session(): Promise<pg.PoolClient>;
}

export function openPostgres(connectionString: string): PostgresDatabase {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const query: Sql['query'] = async (text, params) => {
    const result = await pool.query(text, params);
    return { rows: result.rows as never[], rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: 'postgres',
    query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Sql = {
          async query(text, params) {
            const result = await client.query(text, params);
            return { rows: result.rows as never[], rowCount: result.rowCount ?? 0 };
          },
        };
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    session: () => pool.connect(),
    close: () => pool.end(),
  };
}
