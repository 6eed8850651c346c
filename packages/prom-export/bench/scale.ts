// `tsx bench/scale.ts`: the issue-17 scale run. One counter with N label sets (two labels) for
// N = 10k, 100k, 1M: SDK collect alone, pure serialize after a collect, `render()`, prom-client
// `registry.metrics()` and exporter-prometheus (collect + serialize) on the same series, the
// longest gap of a 1 ms interval probe during a scrape (and during the SDK's collect alone), a
// scrape over a real socket (node:http, streamed body) and the peak extra memory of a 1M-series
// streamed scrape. Appends its section to bench/results.md (after `bench/run.ts` wrote it).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PrometheusExporter as OtelPrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { Attributes } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Counter, Registry } from 'prom-client';
import { PrometheusExporter, createRenderCache, renderPrometheusText } from '../src/index.js';
import { f, type Row, type Socket, verdicts, x } from './scale-report.js';

const run = promisify(execFile);
const label = (i: number): { route: string; status: string } => ({ route: `/api/v1/items/${i}`, status: String(200 + (i % 5)) });
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1] as number;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const heap = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

interface Probe {
  /** Longest gap between ticks. */
  gap: number;
  /** Longest gap that started after `since()` (e.g. after the SDK's collect returned). */
  gapAfter: number;
  peak: number;
}

/** Runs `work` under a 1 ms interval probe: the longest gaps between ticks, and the peak heap. */
async function probe(work: () => Promise<unknown>, since: () => number = () => 0): Promise<Probe> {
  let last = performance.now();
  let gap = 0;
  let gapAfter = 0;
  let peak = heap();
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    if (last >= since()) gapAfter = Math.max(gapAfter, now - last);
    last = now;
    peak = Math.max(peak, heap());
  }, 1);
  await pause(3);
  await work();
  await pause(2);
  clearInterval(timer);
  return { gap, gapAfter, peak: Math.max(peak, heap()) };
}

async function time(runs: number, work: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** Semantic-convention attributes: dotted keys and a number value, which map to labels lossily. */
const dottedLabel = (i: number): Attributes => ({ 'http.route': `/api/v1/items/${i}`, 'http.response.status_code': 200 + (i % 5) });

function ours(
  series: number,
  reuseUnchangedText = true,
  labelOf: (i: number) => Attributes = label,
): { exporter: PrometheusExporter; provider: MeterProvider; changeAll: () => void; changeSome: () => void } {
  const exporter = new PrometheusExporter({ cardinalityLimit: series + 10, reuseUnchangedText });
  const provider = new MeterProvider({ readers: [exporter] });
  const counter = provider.getMeter('bench').createCounter('requests', { description: 'Requests.' });
  const labels = Array.from({ length: series }, (_, i) => labelOf(i));
  for (let i = 0; i < series; i++) counter.add(i + 1, labels[i]);
  // 1 % of the series, spread at random over all of them (a fixed-seed generator: same runs alike).
  let seed = 17;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return {
    exporter,
    provider,
    changeAll: () => labels.forEach((attributes) => counter.add(1, attributes)),
    changeSome: () => {
      for (let i = 0; i < series / 100; i++) counter.add(1, labels[Math.floor(random() * series)]);
    },
  };
}

/** Median `render()` with no series changed: the first render after start-up has no text to reuse yet (untimed). */
async function steadyRender(exporter: PrometheusExporter, runs: number): Promise<number> {
  await exporter.render();
  return time(Math.max(runs, 7), () => exporter.render());
}

/** A fresh exporter on its own series: `render()` with none changed, and (at 10k) a socket scrape. */
async function measureFreshExporter(
  series: number,
  runs: number,
  reuse: boolean,
  labelOf: (i: number) => Attributes = label,
): Promise<{ render: number; socket: Socket | undefined }> {
  const { exporter, provider } = ours(series, reuse, labelOf);
  const render = await steadyRender(exporter, runs);
  const socket = series <= 10_000 && labelOf === label ? await overSocket(exporter, 7) : undefined;
  await provider.shutdown();
  return { render, socket };
}

/** `work` timed after `change` ran untimed before each run: scrapes where every series changed. */
async function timeChanged(runs: number, change: () => void, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    change();
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const client = join(import.meta.dirname, 'fixtures', 'socket-client.mjs');

async function overSocket(exporter: PrometheusExporter, rounds: number): Promise<Socket> {
  // The transport floor: the same exposition, rendered once beforehand, sent as one buffer.
  const rendered = Buffer.from((await exporter.render()).body);
  const server = createServer((request, response) => {
    if (request.url === '/floor') {
      response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': rendered.length });
      response.end(rendered);
      return;
    }
    void (async () => {
      const { contentType, body } = await exporter.renderStream();
      response.writeHead(200, { 'Content-Type': contentType });
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // As @ogf/status-http's pump: wait for `drain` only once 1 MiB is queued (Node's 16 KiB
        // high-water mark is below one chunk, and waiting on it sent every chunk in its own writev).
        if (!response.write(value) && response.writableLength >= 1 << 20) await new Promise((resolve) => response.once('drain', resolve));
      }
      response.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  // Clients are other processes (curl, and a keep-alive node:http client), so the server's event
  // loop does only the server's work; each keeps one connection for its transfers, and the first
  // transfer (connection set-up, warm-up) is dropped: process start-up and connect are outside the
  // times. Rounds interleave render() and both clients, so load changes hit all three alike.
  const floor = url.replace(/metrics$/, 'floor');
  const samples: Record<keyof Socket, number[]> = { curl: [], firstByte: [], node: [], render: [], floorCurl: [], floorNode: [] };
  for (let round = 0; round < 3; round++) {
    for (let r = 0; r < rounds; r++) {
      const start = performance.now();
      await exporter.render();
      samples.render.push(performance.now() - start);
    }
    // `-o` applies to one URL: one per transfer.
    const transfers = Array.from({ length: rounds + 1 }, () => ['-o', '/dev/null', url]).flat();
    const { stdout } = await run('curl', ['-s', '-w', '%{time_total} %{time_starttransfer}\\n', ...transfers]);
    for (const line of stdout.trim().split('\n').slice(1)) {
      const [total, first] = line.split(' ').map((seconds) => Number(seconds) * 1000) as [number, number];
      samples.curl.push(total);
      samples.firstByte.push(first);
    }
    const { stdout: times } = await run(process.execPath, [client, url, String(rounds)]);
    samples.node.push(...(JSON.parse(times) as number[]));
    const floors = Array.from({ length: rounds + 1 }, () => ['-o', '/dev/null', floor]).flat();
    const { stdout: floorCurl } = await run('curl', ['-s', '-w', '%{time_total}\\n', ...floors]);
    samples.floorCurl.push(
      ...floorCurl
        .trim()
        .split('\n')
        .slice(1)
        .map((seconds) => Number(seconds) * 1000),
    );
    const { stdout: floorNode } = await run(process.execPath, [client, floor, String(rounds)]);
    samples.floorNode.push(...(JSON.parse(floorNode) as number[]));
  }
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return {
    curl: median(samples.curl),
    firstByte: median(samples.firstByte),
    node: median(samples.node),
    render: median(samples.render),
    floorCurl: median(samples.floorCurl),
    floorNode: median(samples.floorNode),
  };
}

async function measure(series: number, runs: number, withOtel: boolean): Promise<Row> {
  // Text reuse off (every series rendered on every scrape), then semantic-convention attributes.
  const plain = await measureFreshExporter(series, runs, false);
  global.gc?.();
  const dotted = (await measureFreshExporter(series, runs, true, dottedLabel)).render;
  global.gc?.();
  const dottedPlain = (await measureFreshExporter(series, runs, false, dottedLabel)).render;
  global.gc?.();
  const { exporter, provider, changeAll, changeSome } = ours(series);
  const cache = createRenderCache();
  let bytes = 0;
  const collect = await time(runs, () => exporter.collect());
  const pureSamples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const { resourceMetrics } = await exporter.collect();
    const start = performance.now();
    bytes = renderPrometheusText(resourceMetrics, { cache }).length;
    pureSamples.push(performance.now() - start);
  }
  const render = await steadyRender(exporter, runs);
  // When the SDK's collect returns inside a render: gaps that start later are ours alone.
  let collectEnd = Infinity;
  const collectOf = exporter.collect.bind(exporter);
  exporter.collect = async (options) => {
    const result = await collectOf(options);
    collectEnd = performance.now();
    return result;
  };
  const gaps: number[] = [];
  const collectGaps: number[] = [];
  // Our own part of render(): from the SDK's collect returning to the render's end, in the same calls.
  const owns: number[] = [];
  for (let r = 0; r < Math.min(runs, 5); r++) {
    collectEnd = Infinity;
    const p = await probe(
      async () => {
        await exporter.render();
        owns.push(performance.now() - collectEnd);
      },
      () => collectEnd,
    );
    gaps.push(p.gap);
    collectGaps.push(p.gapAfter);
  }
  const socket = series <= 100_000 ? await overSocket(exporter, series <= 10_000 ? 7 : 3) : undefined;
  let peakExtra: number | undefined;
  let collectExtra: number | undefined;
  let peakChanged: number | undefined;
  if (series >= 1_000_000) {
    const streamed = async (): Promise<void> => {
      const reader = (await exporter.renderStream()).body.getReader();
      while (!(await reader.read()).done);
    };
    await streamed();
    global.gc?.();
    const before = heap();
    peakExtra = (await probe(streamed)).peak - before;
    // The SDK's collect() alone, before a byte is rendered: its result and its own garbage.
    global.gc?.();
    const beforeCollect = heap();
    const collected = await exporter.collect();
    collectExtra = heap() - beforeCollect;
    if (collected.resourceMetrics.scopeMetrics.length === 0) throw new Error('nothing collected');
    // The same streamed scrape when every series changed since the last one.
    changeAll();
    global.gc?.();
    const beforeChanged = heap();
    peakChanged = (await probe(streamed)).peak - beforeChanged;
  }
  // The same scrape when every series was recorded into since the last one (the worst case for
  // the exporter's cumulative store: every series comes back from the SDK as a delta).
  const renderChanged = await timeChanged(runs, changeAll, () => exporter.render());
  // 1 % of the series changed before each scrape, spread at random: most text blocks still reused.
  await exporter.render();
  const renderSome = await timeChanged(Math.max(runs, 7), changeSome, () => exporter.render());
  await provider.shutdown();

  const registry = new Registry();
  const counter = new Counter({ name: 'requests_total', help: 'Requests.', labelNames: ['route', 'status'], registers: [registry] });
  for (let i = 0; i < series; i++) counter.inc(label(i), i + 1);
  const promClient = await time(runs, () => registry.metrics());
  registry.clear();

  let otel: number | undefined;
  let otelChanged: number | undefined;
  if (withOtel) {
    const reader = new OtelPrometheusExporter({ preventServerStart: true });
    // Its reader takes no cardinality option: a view lifts the SDK's 2,000-series default.
    const otelProvider = new MeterProvider({
      readers: [reader],
      views: [{ instrumentName: 'requests', aggregationCardinalityLimit: series + 10 }],
    });
    const c = otelProvider.getMeter('bench').createCounter('requests', { description: 'Requests.' });
    const labels = Array.from({ length: series }, (_, i) => label(i));
    for (let i = 0; i < series; i++) c.add(i + 1, labels[i]);
    const serializer = new PrometheusSerializer();
    const scrape = async (): Promise<string> => serializer.serialize((await reader.collect()).resourceMetrics);
    otel = await time(Math.min(runs, 3), scrape);
    otelChanged = await timeChanged(Math.min(runs, 3), () => labels.forEach((attributes) => c.add(1, attributes)), scrape);
    await otelProvider.shutdown();
  }
  return {
    series,
    collect,
    pure: median(pureSamples),
    render,
    renderChanged,
    renderSome,
    renderPlain: plain.render,
    renderDotted: dotted,
    renderDottedPlain: dottedPlain,
    socketPlain: plain.socket,
    promClient,
    otel,
    otelChanged,
    gap: median(gaps),
    collectGap: median(collectGaps),
    own: median(owns),
    socket,
    bytes,
    peakExtra,
    collectExtra,
    peakChanged,
  };
}

const SIZES = [
  [10_000, 15, true],
  [100_000, 7, true],
  [1_000_000, 3, process.env.OGF_BENCH_OTEL_1M === '1'],
] as const;

/**
 * Each size runs in a fresh process (same Node flags): a size measured after the others inherits
 * their heap (old-generation objects, retired exporters and registries), which taxed every GC of
 * the 1M row and made it look superlinear. A real process exports one size.
 */
async function measureApart(series: number): Promise<Row> {
  const { stdout } = await run(process.execPath, [...process.execArgv, process.argv[1] as string], {
    env: { ...process.env, OGF_BENCH_ONE_SIZE: String(series) },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as Row;
}

async function main(): Promise<void> {
  const one = process.env.OGF_BENCH_ONE_SIZE;
  if (one !== undefined) {
    const [series, runs, withOtel] = SIZES.find(([n]) => n === Number(one)) ?? SIZES[0];
    process.stdout.write(`${JSON.stringify(await measure(series, runs, withOtel))}\n`);
    return;
  }
  const loadBefore = loadavg()[0] as number;
  const rows: Row[] = [];
  for (const [series] of SIZES) {
    if (series > Number(process.env.OGF_BENCH_MAX_SERIES ?? Infinity)) continue;
    rows.push(await measureApart(series));
    process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
  }
  const base = rows[0] as Row;
  const perSeries = (r: Row): number => (r.render * 1000) / r.series;
  const ownPerSeries = (r: Row): number => (r.own * 1000) / r.series;
  const changedPerSeries = (r: Row): number => (r.renderChanged * 1000) / r.series;
  const socketCells = (s: Row['socket']): string =>
    s === undefined
      ? '– | – | – | –'
      : `${f(s.curl)} (${(s.curl / s.render).toFixed(2)}×) | ${f(s.node)} (${(s.node / s.render).toFixed(2)}×) | ${f(s.firstByte)} | ${f(s.floorCurl)} / ${f(s.floorNode)}`;
  const md = [
    '### At scale: one counter with N label sets',
    '',
    "Median ms per scrape, text 0.0.4. Every size is recorded once, then scraped repeatedly (the steady state of the issue's table: no series changed between scrapes); the `changed` columns scrape again after every series was recorded into since the previous scrape (the worst case), untimed recording before each timed scrape, for us and for exporter-prometheus. `collect` is the exporter's `collect()` (the SDK's deltas, folded into the series it keeps); `pure` is `renderPrometheusText` after it; `render()` is both plus slicing. Each size runs in its own Node process. Gaps: the longest gap between ticks of a 1 ms `setInterval` probe during `render()` (median of up to 5 scrapes); the SDK's `collect()` is one synchronous stretch, so the first gap column is about the collect time, and the second counts only gaps that began after `collect()` returned (our planning, slices and GC). Our own part of `render()` is timed inside the same scrapes: from the SDK's `collect()` returning to the render's end (median of up to 5). Socket: a `node:http` server writing `renderStream()` chunks (the loop of `@ogf/status-http`'s Node adapter), fetched by two separate client processes, each over one keep-alive connection whose first transfer is dropped (so process start-up and connection set-up are outside the times): `curl` (`time_total`, and `time_starttransfer` as the first byte) and a keep-alive `node:http` client (request written → last byte); 3 rounds interleave `render()` and both clients (7 transfers each at 10k, 3 at 100k), and the ratios use the `render()` median of those same rounds. The last column is the transport alone: the same exposition rendered once beforehand and sent as one buffer with `Content-Length`, fetched by the same two clients in the same rounds (what any server pays to move these bytes to these clients).",
    '',
    '| series | collect | pure | `render()` | µs/series (× of 10k) | `render()`, changed | µs/series, changed (× of 10k) | exporter-prometheus, changed | vs exporter-prometheus, changed | ours: `render()` after the SDK collect returned, µs/series (× of 10k) | prom-client | exporter-prometheus | vs prom-client | vs exporter-prometheus | longest gap in `render()` (SDK collect included) | longest gap after the SDK collect returned | socket scrape, curl (× of `render()`) | socket scrape, node:http client (×) | curl first byte | transport alone: pre-rendered body, curl / node:http client |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.series.toLocaleString('en')} | ${f(r.collect)} | ${f(r.pure)} | ${f(r.render)} | ${perSeries(r).toFixed(2)} (${(perSeries(r) / perSeries(base)).toFixed(2)}×) | ${f(r.renderChanged)} | ${changedPerSeries(r).toFixed(2)} (${(changedPerSeries(r) / changedPerSeries(base)).toFixed(2)}×) | ${f(r.otelChanged)} | ${x(r.otelChanged, r.renderChanged)} | ${ownPerSeries(r).toFixed(2)} (${(ownPerSeries(r) / ownPerSeries(base)).toFixed(2)}×) | ${f(r.promClient)} | ${f(r.otel)} | ${x(r.promClient, r.render)} | ${x(r.otel, r.render)} | ${f(r.gap)} | ${f(r.collectGap)} | ${socketCells(r.socket)} |`,
    ),
    '',
    'Text reuse (`reuseUnchangedText`, on by default since the fifth pass): the exporter keeps the text of each block of 32 lines whose points did not change since the previous scrape. The main table runs with it on. Here the same scrape with it off (a fresh exporter on the same series, in the same process, before the main one), and with 1 % of the series recorded into at random before each timed scrape (reuse on); the socket cells repeat the socket scrape of 10,000 series with reuse off. The last column scrapes the same counter recorded with semantic-convention attributes (`http.route` and a number `http.response.status_code`, whose labels map lossily, so the duplicate-series check runs), no series changed, with reuse on and off (fresh exporters, one after the other).',
    '',
    '| series | `render()`, reuse on | µs/series (× of 10k) | `render()`, reuse off | µs/series (× of 10k) | `render()`, 1 % changed | µs/series (× of 10k) | vs prom-client, 1 % changed | vs exporter-prometheus, 1 % changed | socket scrape with reuse off, curl / node:http client (× of `render()` with reuse off) | semantic-convention attributes: `render()`, reuse on / off |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const per = (ms: number, row: Row): number => (ms * 1000) / row.series;
      const grow = (ms: number, baseMs: number): string => `${per(ms, r).toFixed(3)} (${(per(ms, r) / per(baseMs, base)).toFixed(2)}×)`;
      const plainSocket =
        r.socketPlain === undefined
          ? '–'
          : `${f(r.socketPlain.curl)} (${(r.socketPlain.curl / r.socketPlain.render).toFixed(2)}×) / ${f(r.socketPlain.node)} (${(r.socketPlain.node / r.socketPlain.render).toFixed(2)}×)`;
      return `| ${r.series.toLocaleString('en')} | ${f(r.render)} | ${grow(r.render, base.render)} | ${f(r.renderPlain)} | ${grow(r.renderPlain, base.renderPlain)} | ${f(r.renderSome)} | ${grow(r.renderSome, base.renderSome)} | ${x(r.promClient, r.renderSome)} | ${x(r.otel, r.renderSome)} | ${plainSocket} | ${f(r.renderDotted)} / ${f(r.renderDottedPlain)} |`;
    }),
    '',
    "Where the superlinear part comes from (issue 17; `--trace-gc` and separate processes, same machine, load average 4–5, so single numbers are noisy): (1) the previous runs measured every size in one process, so the 1M row paid for the heap left by the earlier rows: pure serialize at 1M went from 2.75 to 1.18 µs/series once each size got its own process (first such run; 0.73 in this one, where 10k was 0.41); (2) serializing one *reused* collection again, in a fresh process, is near-linear (0.54–1.10 µs/series at 10k, 0.62–0.97 at 1M, four runs each); the remaining growth comes with a *fresh* collection, whose million new point objects are still young when we render: the V8 scavenges that run during our slices (7–20 ms each at a 1 GB heap, each promoting about 3 MB) copy and promote them, and that cost lands in our time; (3) a byte-buffer sink for `render()` (`TextEncoder.encodeInto` into a growing buffer, one decode at the end) was tried and was slower at 1M (4.4 µs/series: the final decode of 85 MiB), so it was not kept. The SDK's own `collect()` goes 0.21 → 0.33 → 1.71 µs/series (8.0× from 10k to 1M): it rebuilds every point object per collection and has no public per-instrument collect, so it is a floor we can only document (keep `cardinalityLimit` where its stall is acceptable).",
    '',
    "What this session tried (issue 17, second pass; A/B in alternating processes on a 2-core machine at load average 4–5, CPU time from `process.cpuUsage` where wall time was too noisy; the machine was also slower than the previous session's: the SDK's collect alone took 1.6–2.8× longer): (1) a `--cpu-prof` of the pure serializer at 100k series put the per-exporter `WeakMap` (attributes → label text) first among our functions (716 ms self time over 18 renders), and big `WeakMap`s make every full GC walk their ephemerons. The label text (and the `{…} ` with the scope labels) is now kept on the attributes object under a private non-enumerable symbol (a `WeakMap` only for frozen or sealed objects): pure serialize CPU per render 82.6 / 92.0 / 88.5 → 56.9 / 55.2 / 57.6 ms at 100k (three process pairs), 7.0 / 8.6 / 7.2 → 3.3 / 3.2 / 3.3 ms at 10k, and at 1M 4,304 → 663 ms CPU (7,117 → 1,233 ms wall, one pair). Kept. It barely moves `render()` at 1M (4,495 → 4,417 ms in the same pair): the SDK's collect (2.6 s there) and the garbage collection of its fresh points during our slices dominate. (2) Slices yielded with `setTimeout(0)`, which Node clamps to 1 ms: now `setImmediate` where the runtime has it. Kept. (3) Socket: within a render slice the server writes the chunks in promise jobs, and node:http corks the socket until `process.nextTick`, so in a raw loop the whole slice left in one `writev` at its end (curl's first byte at 10.9 ms of a 15 ms scrape). Uncorking after each write brought the first byte to about 4 ms, but the total did not move under this load (13.3–15.5 vs 13.8–15.5 ms, interleaved: with both cores busy there is no idle core for the client to overlap with), and in `@ogf/status-http`'s pump an `uncork()` every 64 KiB moved neither (first byte 7.2–8.3 vs 8.3–9.2 ms): not kept. A `--cpu-prof` of the server over 330 streamed scrapes of 10k series shows what the socket adds to `render()`: `writev` (the kernel copying about 850 KB over loopback) 0.9 ms and `TextEncoder` 0.2 ms per scrape, plus the client's own reading on the same two cores; the node:http client measures the same ratio as curl, so curl's start-up is not what costs. (4) Peak memory, measured apart in a 1M-series process: the SDK's `collect()` alone raises the heap by 162 MiB, 1.92× the 85 MiB exposition (61 MiB of points that survive a full GC, the rest its own garbage), before we render a byte; by the first chunk the 1 s join window has passed (the collect takes longer than that), so chunks are released as they are read, and our share of the peak is about 0.2×. Dropping each point once written would not lower the peak either, which comes right after the collect: the ≤ 2× target is bounded by the SDK's collect here (the row below measures both in every run).",
    '',
    "Third pass (issue 17; a 2-core machine shared with other sessions, load average 2.2–11 while measuring, so the A/Bs below are interleaved, CPU time from `process.cpuUsage` next to wall time). (1) Socket, where the time went: `strace` of a 10,000-series streamed scrape showed 40 `writev` calls, one per ~21 KiB chunk. The pump (here and in `@ogf/status-http`'s Node adapter) waited for `drain` whenever `write()` returned false, and Node's 16 KiB high-water mark is below one chunk, so every chunk paid a `drain` round trip and its own system call and client wake-up (the previous pass's belief that node:http corked a whole slice into one `writev` held only for a loop that never waited). The pump now waits only once 1 MiB is queued: 3 system calls per scrape (one `writev` of the slice, the rest after the socket drained). Server CPU per scrape of 10,000 series through `startStatusServer`, interleaved A/B: 10.89 → 7.33 ms (12 rounds, `render()` alone 5.76 ms CPU), 8.17 → 6.83 ms (10 rounds), 12.37 → 11.84 ms (8 rounds, noisiest); curl 1.26 → 1.13×, 1.41 → 1.20×, 1.40 → 1.52× of `render()`; node:http client 2.17 → 2.09×, 2.05 → 1.66×, 1.79 → 1.85×. Kept, with a test that a client that stops reading stops the pump. (2) `renderStream()` encodes each chunk with `encodeInto` into a buffer of the chunk's length (falling back to `encode` when a chunk is not ASCII): 7.1 → 4.6 µs per 21 KiB chunk, about 0.1 ms per 10,000-series scrape. Kept. (3) Tried and not kept: uncorking every 128 KiB so the client reads while we render (server CPU 6.83 → 9.07 ms per scrape, curl 1.20 → 1.31×, node:http client 1.66 → 1.73×: more system calls, and with both cores busy there is no idle core to overlap on); rendering the whole body and sending one buffer with `Content-Length` (curl 1.03–2.08×, node:http client 1.00–2.85× over seven interleaved runs, no better than the stream, and it gives up streaming). (4) What is left is not on the server's path: the last column measures the transport alone (the same bytes pre-rendered, one write), and for the node:http client that is already 2.0–3.2 ms, about 0.45× of `render()`, its own reading and parsing of 850 KB (its CPU time: about 1.7 ms per scrape over 40 scrapes); `render()` measured back to back is also faster than the same render inside a scrape that arrives after the clients ran (4.88 ms back to back, 6.30 ms inside the scrapes of the same run, timed in the server: the clients ran in between and the caches are cold). (5) Serializer at 100,000 series (`--cpu-prof` over 15 renders of a reused collection): flattening each chunk in `take()` is about 15 ms of about 45 ms CPU per render, `writePoint` about 9 ms, the final join about 5 ms; the SDK's `collect()` costs 55–60 ms CPU per call, of which its `HashMap.entries` generator alone is about 33 ms. Five ways of building the text in a standalone loop of the same 100,000 lines: the current one (template appends, flattened every 256 lines) was the fastest (25.6–27.4 ms; a cached `name{labels} ` prefix 29.9–35.1 ms, arrays joined per chunk 36.7–44.9 ms, no flattening 42.7–67.4 ms). Skipping the exemplar lookup when no exemplar source is set did not measurably change the pure render (four A/B process pairs, 36.8–45.8 vs 37.4–43.4 ms CPU): not kept. (6) Peak memory and per-series growth: nothing new kept; the SDK's `collect()` alone still accounts for about 2.0× of the 2× budget (row below). (7) Where the garbage collector's time goes, and a knob that is the host's to turn: in the `--cpu-prof` above the garbage collector is the largest single item (about 29 % of the samples, more than our serializer): while we render, the SDK's freshly collected points are young, and every scavenge our text's allocations trigger copies and promotes them. A bigger young generation means fewer scavenges per render: with `node --max-semi-space-size=64` (MiB; Node 20's default is 16) `render()` CPU went 107 / 112 / 105 → 85 / 88 / 77 ms at 100,000 series (three process pairs; the pure serializer 47–49 → 27–31 ms, the SDK's collect 52 → 35–38 ms), 1,471 / 1,490 → 1,276 / 1,325 ms at 1,000,000 (two pairs) and 4.4–4.8 → 4.2–4.3 ms at 10,000 (two pairs). It is a process flag, not something a library may set, and it lets more garbage wait between scavenges (more heap in use at peaks), so the README offers it as a tuning note for hosts with 100,000+ series; the tables above run with Node's defaults. (8) Chunks of 1,024 lines (about 80 KiB) instead of 256: each chunk costs a stream read, an encode, a buffer and a socket write. Six interleaved A/Bs through `startStatusServer` at 10,000 series (load average 2.8–3.3): server CPU per scrape 7.45 / 8.01 / 7.57 / 9.03 / 10.48 / 7.66 → 6.96 / 6.88 / 7.69 / 7.61 / 7.33 / 6.96 ms, curl 6.16 / 5.93 / 6.46 / 8.15 / 8.99 / 5.98 → 5.70 / 5.13 / 6.90 / 7.25 / 8.66 / 5.69 ms, node:http client 7.85 / 7.86 / 8.70 / 11.38 / 13.67 / 7.86 → 7.34 / 6.83 / 8.80 / 9.56 / 9.67 / 6.81 ms (better in five of six each); the pure render at 100,000 series did not change (four process pairs, 39.3–42.8 vs 39.8–44.7 ms CPU on a reused collection). Kept; the clock is still checked every chunk (well under a millisecond of work at these sizes).",
    '',
    "Fourth pass (issue 17, session 6): the exporter now asks the SDK for deltas from synchronous instruments and keeps the cumulative series itself (`src/cumulative.ts`), so a collection costs the series that changed since the last one. Asked for cumulative data the SDK rebuilds a point object for every series it ever saw on every collect, and merges every series: with a plain reader at 100,000 series its `collect()` took 32.2 ms with no series changed, 32.8 ms with 1 % changed and 102.7 ms with all changed; asked for deltas, 0.0 / 0.5 / 76.2 ms (same process layout, load average about 1). The folding adds each delta onto the kept point exactly as the SDK's cumulative merge does (previous + delta), replaces the point instead of mutating it (a render in flight keeps its values), yields every `sliceMs`, and runs one collection at a time; a property test compares the exposition with the SDK's own cumulative collection for random recordings and collections. A/B of `render()`, this code against the previous commit, one counter with N label sets in a fresh process per cell (medians of 30 / 8 / 4 scrapes, load average about 1–2): no series changed between scrapes 4.00 → 2.07 ms at 10,000, 64.4 → 28.7 ms at 100,000, 1,840 → 553 ms at 1,000,000; every series changed before each scrape 11.9 → 12.0 ms, 193 → 172 ms, 5,999 → 4,767 ms. The every-series-changed case is bounded by the SDK: a `--cpu-prof` at 100,000 series (recording included) puts the garbage collector at 23 %, the SDK's attribute hashing and hash map (recording and its delta collect) at about half, and our folding at 4 %; the SDK's delta collect alone (76 ms at 100,000) plus our render (about 30 ms) is already about half of prom-client's `registry.metrics()`, which renders from its own values and never collects. What keeps the steady-state per-series cost from staying flat to 1,000,000 is our serializer reading a million long-lived points, attribute objects and label texts scattered over about 1 GB of heap (cache misses) and the garbage collection of the 85 MiB of text: 0.20 µs per series at 10,000, 0.65 at 1,000,000 in the pure column.",
    '',
    "Fifth pass (issue 17, session 7): text reuse. The cumulative store replaces a point whenever its series changes and hands out the very same object when it does not, so a block of points that are the same objects as in the previous render prints the same text. The exporter keeps each block's text (32 lines, `src/reuse.ts`) and reuses it; a chunk made of reused blocks goes to the stream as its pieces, each encoded straight into the chunk's bytes (`src/chunk.ts`). Joining the reused blocks into one fresh string per chunk first cost more than it saved: in a first version the streamed scrape of 100,000 series took 15–19 ms against 4.5 ms for `render()`, because every flattened chunk was a young 80 KiB string that the production holds for its join window, so the next scavenges copied it (3 + 8 ms every other scrape under `--trace-gc`); as pieces, 2.2–2.6 ms. Block size, in fresh processes at load average about 1: with 1 % of 100,000 series changed at random before each scrape, 32-line blocks rendered in 18–22 ms, 128-line blocks in 28–29 ms and no reuse in 28–36 ms; with no series changed, 4.6 against 3.6 ms. Text is kept from the first render of a block on (not only once a block came through two renders unchanged): under 1 % churn that reuses a share p of the blocks instead of p², and with every series changed before each scrape it cost nothing measurable (163.8 / 165.5 / 165.2 against 163.7 / 170.9 / 166.6 ms at 100,000 series, three process pairs). Reuse covers only the points the store publishes (observable instruments and other metric producers hand out fresh, or possibly reused and changed, objects), renders without an exemplar source (exemplars come from outside the points), and in a family only the series before the first lossy label (the duplicate check needs every key after it). A property test compares every scrape with an exporter that reuses nothing, on the same provider, for random recordings, direct collects and scrapes in both formats, streamed or not. The `render()` column of the main table now has text reuse on (the default), and each measured `render()` follows one untimed render (the first scrape after start-up has nothing to reuse). With no series changed `render()` costs about 0.06 µs per series at every size, so the growth target is met; the socket targets compare the scrape with that `render()`, and the transport's own cost (the same bytes pre-rendered and sent once: 0.38 ms for curl and 1.66 ms for the node:http client at 10,000 series) is now most of a 0.6 ms render, so those ratios are further from 1.3× than before although the scrape itself got faster (curl 3.21 → 1.30 ms at 10,000 series, runs 11 and 12). With reuse off, the socket scrape stays within 1.3× for curl (1.28×), Bun (0.99×) and Deno (0.95×).",
    '',
    "Fifth pass, continued (a review of the first version): labels that map lossily (dotted keys such as `http.route`, number values, the SDK's `otel.metric.overflow` series) switched reuse off for the rest of their family, because the duplicate-series check needed every key: in the first version a family with semantic-convention attributes reused no block at all. The check now lives in `src/duplicates.ts` and adds keys lazily: a reused block is only noted, and the keys of the series written before a point are added when that point has to be checked. In a family's first source the series before a block are the same at every render (a stream only grows, in order), so a kept block (which dropped nothing when it was rendered) drops nothing now either; blocks of later sources are checked against the series before them while the check runs (with scope labels off, two scopes share one label space). 100,000 series with semantic-convention attributes, none changed: 5.5 ms with reuse against 59 ms without; with 1 % changed, 43 against 59 ms (the first changed series makes the check add every earlier key). At 1,000,000 series the `render()` of that table includes the join of a 108 MB string (about 58 ms, most of the render), which in a process that already held a second million-series exporter slowed to 230–310 ms on later renders (measured apart: no block was rendered again and no key was added, so it is the join's fresh memory, not the check); the plain-label rows are not affected in runs 12 and 13. A same-process A/B against the session-6 code of the full render with reuse off (100,000 series, four process pairs) showed the check's first shape (a getter read per point) about 8 % slower; as a data property it is within noise (24.2–26.2 ms against 24.8–26.7 ms).",
    '',
    'Targets (issue 17):',
    '',
    ...verdicts(rows),
    '',
    ...rows
      .filter((r) => r.peakExtra !== undefined)
      .map(
        (r) =>
          `Peak extra heap (V8 heap + array buffers) during a ${r.series.toLocaleString('en')}-series streamed scrape: ${((r.peakExtra as number) / 2 ** 20).toFixed(0)} MiB, for an exposition of ${(r.bytes / 2 ** 20).toFixed(0)} MiB (${((r.peakExtra as number) / r.bytes).toFixed(2)}×); with no series changed since the previous scrape; the exporter's \`collect()\` alone raises the heap by ${((r.collectExtra ?? 0) / 2 ** 20).toFixed(0)} MiB there. The same scrape right after every series was recorded into: ${r.peakChanged === undefined ? '–' : `${(r.peakChanged / 2 ** 20).toFixed(0)} MiB (${(r.peakChanged / r.bytes).toFixed(2)}×)`} (the SDK's delta points for every series and the replaced cumulative points included).`,
      ),
    '',
    `Load average (1 min) before ${loadBefore.toFixed(1)}, after ${(loadavg()[0] as number).toFixed(1)}, on a shared 2-core machine; Node ${process.version}. Reproduce: \`pnpm --filter @ogf/prom-export bench\`.`,
    '',
  ].join('\n');
  const file = join(import.meta.dirname, 'results.md');
  const previous = readFileSync(file, 'utf8');
  const cut = previous.indexOf('### At scale');
  writeFileSync(file, `${(cut === -1 ? previous : previous.slice(0, cut)).trimEnd()}\n\n${md}`);
  process.stdout.write(md);
}

await main();
