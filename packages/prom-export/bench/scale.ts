// `tsx bench/scale.ts [series…]`: one counter with N label sets, split into SDK collect, pure
// serialize, `render()`, and the longest gap of a 1 ms interval probe during `render()`.
import { loadavg } from 'node:os';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, createRenderCache, renderPrometheusText } from '../src/index.js';

async function gapDuring(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 3));
  await work();
  clearInterval(probe);
  return longest;
}

async function measure(series: number): Promise<void> {
  const exporter = new PrometheusExporter({ cardinalityLimit: series + 10 });
  const provider = new MeterProvider({ readers: [exporter] });
  const counter = provider.getMeter('bench').createCounter('requests', { description: 'Requests.' });
  for (let i = 0; i < series; i++) counter.add(i + 1, { route: `/api/v1/items/${i}`, status: String(200 + (i % 5)) });
  const cache = createRenderCache();
  const runs = series >= 1_000_000 ? 3 : 7;
  const t = { collect: [] as number[], pure: [] as number[], render: [] as number[], gap: [] as number[], stream: [] as number[] };
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    let s = performance.now();
    const { resourceMetrics } = await exporter.collect();
    t.collect.push(performance.now() - s);
    s = performance.now();
    bytes = renderPrometheusText(resourceMetrics, { cache }).length;
    t.pure.push(performance.now() - s);
    s = performance.now();
    await exporter.render();
    t.render.push(performance.now() - s);
    t.gap.push(await gapDuring(() => exporter.render()));
  }
  const med = (v: number[]): string => [...v].sort((a, b) => a - b)[v.length >> 1]!.toFixed(1);
  process.stdout.write(
    `${series}\tcollect ${med(t.collect)}\tpure ${med(t.pure)}\trender ${med(t.render)}\tgap ${med(t.gap)}\tbytes ${bytes}\tload ${loadavg()[0]!.toFixed(1)}\n`,
  );
  await provider.shutdown();
}

const sizes = process.argv.slice(2).map(Number);
for (const n of sizes.length ? sizes : [10_000, 100_000]) await measure(n);
