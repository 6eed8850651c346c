// `tsx bench/runtimes.ts`: the issue-17 socket scrape on Bun and Deno. The exporter's streamed
// handler serves 10,000 series in the runtime; a separate `curl` process scrapes it over one
// keep-alive connection, against `render()` timed inside the same runtime. Writes its section
// at the end of bench/results.md (after `bench/scale.ts`).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serveOnRuntime, type Runtime } from '@ogf/testkit/runtimes';

const run = promisify(execFile);
const RUNS = 15;
const app = fileURLToPath(new URL('./fixtures/socket-app.ts', import.meta.url));
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1] as number;

interface Result {
  render: number;
  socket: number;
}

/** `render()` timed in the runtime, then the socket scrape by curl, for the exporter under `prefix`. */
async function scrape(url: string, prefix: string): Promise<Result> {
  const render = ((await (await fetch(`${url}${prefix}/render-ms?runs=${RUNS}`)).json()) as { ms: number }).ms;
  const transfers = Array.from({ length: RUNS + 1 }, () => ['-o', '/dev/null', `${url}${prefix}/metrics`]).flat();
  const { stdout } = await run('curl', ['-s', '-w', '%{time_total}\\n', ...transfers]);
  const socket = median(
    stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line) * 1000),
  );
  return { render, socket };
}

async function measure(runtime: Runtime): Promise<{ runtime: Runtime; reusing: Result; plain: Result }> {
  const server = await serveOnRuntime(runtime, app);
  try {
    return { runtime, reusing: await scrape(server.url, ''), plain: await scrape(server.url, '/plain') };
  } finally {
    await server.stop();
  }
}

const cells = (r: Result): string =>
  `${r.render.toFixed(2)} | ${r.socket.toFixed(2)} | ${(r.socket / r.render).toFixed(2)}× | ${r.socket / r.render <= 1.3 ? 'met' : 'NOT met'}`;

const loadBefore = loadavg()[0] as number;
const rows = [];
for (const runtime of ['bun', 'deno'] as const) rows.push(await measure(runtime));
const md = [
  '### Socket scrape on Bun and Deno (10,000 series)',
  '',
  "The exporter's streamed `handler` served by the runtime; a separate `curl` process scrapes it over one keep-alive connection (`time_total`, median of 15 after one warm-up), against the median of 15 `render()` calls timed inside the same runtime; once with text reuse (the default) and once with `reuseUnchangedText: false` (a second exporter on its own series in the same runtime process).",
  '',
  '| runtime | `render()` ms | socket scrape ms | × of `render()` | ≤ 1.3× | reuse off: `render()` ms | socket scrape ms | × of `render()` | ≤ 1.3× |',
  '|---|---:|---:|---:|---|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.runtime} | ${cells(r.reusing)} | ${cells(r.plain)} |`),
  '',
  `Load average (1 min) before ${loadBefore.toFixed(1)}, after ${(loadavg()[0] as number).toFixed(1)}, on a shared 2-core machine. Reproduce: \`pnpm --filter @ogf/prom-export bench\`.`,
  '',
].join('\n');
const file = join(import.meta.dirname, 'results.md');
const previous = readFileSync(file, 'utf8');
const cut = previous.indexOf('### Socket scrape on Bun and Deno');
writeFileSync(file, `${(cut === -1 ? previous : previous.slice(0, cut)).trimEnd()}\n\n${md}`);
process.stdout.write(md);
