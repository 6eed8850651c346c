import { createConnection } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, startRedis, type ServiceHandle } from './services.ts';
import { redisPing, tcpAccepts } from './tcp-probes.ts';

describe('throwaway services', () => {
  const started: ServiceHandle[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('starts PostgreSQL on a free port, pauses it, resumes it on the same port and removes it on stop', async () => {
    const pg = await startPostgres();
    started.push(pg);
    expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
    expect(await tcpAccepts(pg.port)).toBe(true);
    await pg.pause();
    expect(pg.running).toBe(false);
    expect(await tcpAccepts(pg.port)).toBe(false);
    await pg.resume();
    expect(await tcpAccepts(pg.port)).toBe(true);
    await pg.stop();
    expect(await tcpAccepts(pg.port)).toBe(false);
    await pg.stop();
  });

  it('starts Redis, answers PING, freezes and thaws, and restarts on the same port', async () => {
    const redis = await startRedis();
    started.push(redis);
    expect(await redisPing(redis.port)).toBe('+PONG');
    await redis.freeze();
    const frozen = await Promise.race([redisPing(redis.port), new Promise((resolve) => setTimeout(() => resolve('no answer'), 300))]);
    expect(frozen).toBe('no answer');
    await redis.thaw();
    expect(await redisPing(redis.port)).toBe('+PONG');
    await redis.restart();
    expect(await redisPing(redis.port)).toBe('+PONG');
    await redis.stop();
    expect(await tcpAccepts(redis.port)).toBe(false);
  });
});

// The teardown race behind a red CI after every test had passed: a client still connected when its
// server stops hears 57P01 ("terminating connection due to administrator command") and, with no
// listener, throws it outside any test. Vitest fails the run on such an error, so each of these
// cases fails the suite if the handling regresses.
const PgPool = pg.Pool;

describe('clients connected while their server stops', () => {
  it('a pool from the handle, idle and connected, is ended before the server stops: nothing is thrown', async () => {
    const pg = await startPostgres();
    const pool = pg.pool({ max: 3 });
    await Promise.all([pool.query('SELECT pg_sleep(0.05)'), pool.query('SELECT 1'), pool.query('SELECT 2')]);
    expect(pool.idleCount).toBeGreaterThan(0);
    await pg.stop();
    expect(pool.ending).toBe(true);
    expect(pool.totalCount).toBe(0);
    expect(pg.connectionErrors()).toEqual([]);
  });

  it('a client held while the server goes down abruptly hears 57P01, and the handle keeps the error', async () => {
    const pg = await startPostgres();
    try {
      const pool = pg.pool();
      const held = await pool.connect();
      await held.query('SELECT 1');
      const heard = new Promise<void>((resolve) => held.once('error', () => resolve()));
      await pg.pause(); // fast shutdown: the server tells every connected client it is terminating
      await heard;
      expect(pg.connectionErrors().map((error) => (error as Error & { code?: string }).code)).toContain('57P01');
      held.release(true);
    } finally {
      await pg.stop();
    }
  });

  it('a pool the test made and ended itself just before stop() is not told of the shutdown', async () => {
    // pool.end() resolves before its sockets close; a fast shutdown racing those last packets is
    // what sent 57P01 to a client with no listener. stop() lets the clients leave first.
    const pg = await startPostgres();
    const heard: Error[] = [];
    const pool = new PgPool({ connectionString: pg.url, max: 4 });
    pool.on('connect', (client) => client.on('error', (error) => heard.push(error)));
    await Promise.all([1, 2, 3, 4].map((n) => pool.query('SELECT $1::int, pg_sleep(0.02)', [n])));
    await pool.end();
    await pg.stop();
    expect(heard).toEqual([]);
    expect(pg.running).toBe(false);
  });

  it('Redis clients tied to the handle are closed before Redis stops', async () => {
    const redis = await startRedis();
    const socket = redis.tie(createConnection({ host: '127.0.0.1', port: redis.port }));
    await new Promise((resolve) => socket.once('connect', resolve));
    await redis.stop();
    expect(socket.destroyed).toBe(true);
    expect(redis.connectionErrors()).toEqual([]);
  });
});
