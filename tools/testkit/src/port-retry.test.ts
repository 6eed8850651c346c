// Port collisions, for real: a port is taken on purpose (a real server listening on it) and handed
// to the start as its first pick; the service must come up on another port and answer. A failure
// that is not a collision must fail the first attempt, with what the server printed.
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startOnFreePort } from './port-retry.ts';
import { launchPostgres } from './postgres-server.ts';
import { launchPrometheus } from './prometheus-server.ts';
import { launchRedis } from './redis-server.ts';
import { redisPing } from './tcp-probes.ts';

const servers: Server[] = [];
const stops: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Listens on a port of 127.0.0.1 until the end of the file; resolves with that port. */
async function occupy(server: Server = createServer((socket) => socket.destroy())): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return address.port;
}

/** A port picker that hands out `taken` for the first `times` picks, then free ports; it counts its picks. */
function takenFirst(taken: number, times = 1): { pickPort: () => Promise<number>; picks: number[] } {
  const picks: number[] = [];
  return {
    picks,
    pickPort: async () => {
      const port = picks.length < times ? taken : await freePort();
      picks.push(port);
      return port;
    },
  };
}

describe('a start whose port another process took first', () => {
  it('Redis starts again on another port and answers PING', async () => {
    const taken = await occupy();
    const picker = takenFirst(taken);
    const redis = await launchRedis({}, { pickPort: picker.pickPort });
    stops.push(() => redis.stop());
    expect(picker.picks).toHaveLength(2);
    expect(picker.picks[0]).toBe(taken);
    expect(redis.port).toBe(picker.picks[1]);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await redisPing(redis.port)).toBe('+PONG');
  });

  it('PostgreSQL starts again on another port and answers a query', async () => {
    const taken = await occupy();
    const picker = takenFirst(taken);
    const pg = await launchPostgres({}, { pickPort: picker.pickPort });
    stops.push(() => pg.stop());
    expect(picker.picks).toEqual([taken, pg.port]);
    expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
    const { rows } = await pg.pool().query<{ answer: number }>('SELECT 41 + 1 AS answer');
    expect(rows).toEqual([{ answer: 42 }]);
  });

  it('Prometheus starts again on another port, not fooled by the HTTP server that holds the first one', async () => {
    // The port's holder answers /-/ready (and everything else) with 200, as another Prometheus would.
    const impostor = createHttpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success","data":{}}'),
    );
    const taken = await occupy(impostor);
    const picker = takenFirst(taken);
    const prom = await launchPrometheus({ targets: ['127.0.0.1:1'] }, { pickPort: picker.pickPort });
    stops.push(() => prom.stop());
    expect(picker.picks).toEqual([taken, prom.port]);
    expect(prom.url).toBe(`http://127.0.0.1:${prom.port}`);
    expect((await fetch(`${prom.url}/-/ready`)).status).toBe(200);
    expect(await prom.query('vector(7)')).toEqual([{ metric: {}, value: 7 }]);
  });

  it('fails after three collisions, reporting each attempt', async () => {
    const taken = await occupy();
    const picker = takenFirst(taken, Infinity);
    const start = launchRedis({}, { pickPort: picker.pickPort });
    await expect(start).rejects.toThrow(/redis could not start: the port was taken by another process in each of 3 attempts/);
    const message = await start.then(
      () => '',
      (error: Error) => error.message,
    );
    for (const attempt of [1, 2, 3]) expect(message).toContain(`attempt ${attempt}, port ${taken}: redis exited (1)`);
    expect(message.match(/Address already in use/g)).toHaveLength(3);
    expect(picker.picks).toEqual([taken, taken, taken]);
  });
});

describe('a start that fails for another reason', () => {
  it('Redis with a bad directive fails at the first attempt with its output', async () => {
    const picker = takenFirst(0, 0);
    const start = launchRedis({}, { pickPort: picker.pickPort, serverArgs: ['--no-such-directive', 'yes'] });
    await expect(start).rejects.toThrow(
      /redis exited \(1\) before accepting connections:[\s\S]*Bad directive or wrong number of arguments/,
    );
    expect(picker.picks).toHaveLength(1);
  });

  it('PostgreSQL with an unknown setting fails at the first attempt with its output', async () => {
    const picker = takenFirst(0, 0);
    const start = launchPostgres({}, { pickPort: picker.pickPort, serverArgs: ['-c', 'no_such_setting=1'] });
    await expect(start).rejects.toThrow(
      /postgres exited \(1\) before accepting connections:[\s\S]*unrecognized configuration parameter "no_such_setting"/,
    );
    expect(picker.picks).toHaveLength(1);
  });

  it('Prometheus with a config it cannot load fails at the first attempt with its output', async () => {
    const picker = takenFirst(0, 0);
    const start = launchPrometheus({ scrapeConfigs: '  - job_name: [not a name' }, { pickPort: picker.pickPort });
    await expect(start).rejects.toThrow(/Prometheus exited during start:[\s\S]*prometheus\.yml/);
    expect(picker.picks).toHaveLength(1);
  });

  it('a failure after a collision names the collision too', async () => {
    const ports = [7001, 7002];
    const start = startOnFreePort({
      name: 'svc',
      inUse: /address already in use/,
      pickPort: () => Promise.resolve(ports.shift()!),
      start: (port) => Promise.reject(new Error(port === 7001 ? 'svc exited: address already in use' : 'svc exited: bad config')),
    });
    await expect(start).rejects.toThrow(
      'svc failed to start (after 1 port collision(s)):\nattempt 1, port 7001: svc exited: address already in use\nattempt 2, port 7002: svc exited: bad config',
    );
  });
});
