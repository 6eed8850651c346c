import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrometheus, type PrometheusServer } from './prometheus.ts';

describe('a throwaway Prometheus server', () => {
  let target: Server;
  let prom: PrometheusServer | undefined;
  let jobs = 0;

  afterAll(async () => {
    await prom?.stop();
    await new Promise((resolve) => target?.close(resolve));
  });

  // A Prometheus start, a first scrape and a rule evaluation: the helper allows each 30 s.
  it('scrapes a target the test serves and answers PromQL with its values', async () => {
    target = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{queue="a"} ${jobs}\njobs_total{queue="b"} 2\n`);
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const { port } = target.address() as AddressInfo;
    jobs = 5;
    prom = await startPrometheus({
      targets: [`127.0.0.1:${port}`],
      rules: { recording: 'groups:\n  - name: test\n    rules:\n      - record: jobs:sum\n        expr: sum(jobs_total)\n' },
    });
    await prom.waitForTargetsUp();
    expect(await prom.waitForValue('sum(jobs_total)', 7)).toBe(7);
    const byQueue = await prom.query('jobs_total');
    expect(byQueue.map((s) => [s.metric.queue, s.value]).sort()).toEqual([
      ['a', 5],
      ['b', 2],
    ]);
    expect(await prom.waitForValue('jobs:sum', 7)).toBe(7);
    expect(JSON.stringify(await prom.rules())).toContain('jobs:sum');
  }, 120_000);

  it('removes its directory on stop and tolerates a second stop', async () => {
    const { existsSync } = await import('node:fs');
    const dir = prom!.dir;
    await prom!.stop();
    await prom!.stop();
    expect(existsSync(dir)).toBe(false);
  });
});
