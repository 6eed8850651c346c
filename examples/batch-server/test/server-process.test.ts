// The tests' way to boot the example: PORT=0, so the kernel picks a free port as the server binds
// (nothing can take it in between), and the helper reads the URL from the server's ready line.
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson } from './helpers/api.ts';
import { listeningUrl, startServerProcess, tempDataDir, type ServerProcess } from './helpers/server-process.ts';

describe('the example booted on a port it picks', () => {
  const data = tempDataDir();
  const servers: ServerProcess[] = [];
  let holder: Server | undefined;

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
    data.remove();
  });

  it('listens on the port its ready line reports, and two boots get two ports', async () => {
    const [first, second] = await Promise.all([
      startServerProcess({ DATA_DIR: `${data.dir}/a` }),
      startServerProcess({ DATA_DIR: `${data.dir}/b` }),
    ]);
    servers.push(first, second);
    for (const server of [first, second]) {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const ready = server.logLines().find((line) => line.msg === 'batch server listening');
      expect(ready?.url).toBe(server.url);
      const { status, json } = await getJson<{ status: string }>(`${server.url}/health/live`);
      expect(status).toBe(200);
      expect(json.status).toBe('healthy');
    }
    expect(first.port).not.toBe(second.port);
  });

  it('fails with the server output when told a port another process holds', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    await expect(startServerProcess({ DATA_DIR: `${data.dir}/c`, PORT: String(port) }, { startTimeoutMs: 120_000 })).rejects.toThrow(
      /batch server did not start:[\s\S]*EADDRINUSE/,
    );
  });

  it('reads the URL only from a complete ready line', () => {
    const line = '{"level":30,"url":"http://127.0.0.1:41234","msg":"batch server listening"}';
    expect(listeningUrl(`{"msg":"starting"}\n${line}\n`)).toBe('http://127.0.0.1:41234');
    expect(listeningUrl(line.slice(0, 40))).toBeUndefined();
    expect(listeningUrl('batch server listening on 8080\n')).toBeUndefined();
  });
});
