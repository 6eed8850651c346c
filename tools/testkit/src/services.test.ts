import { createConnection } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, startRedis, type ServiceHandle } from './services.ts';

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function redisPing(port: number): Promise<string> {
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
