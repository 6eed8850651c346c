// `pnpm bench` for @ogf/bullmq: 1,000 no-op jobs drained by an instrumented worker (our telemetry,
// the processor wrapper running each job in obs.batches.process, observe(worker), the SDK exporting
// spans over OTLP/HTTP to a local sink) against an uninstrumented one (no telemetry, the bare
// processor), same Redis, same process, alternating rounds. For comparison, not the target, the
// same rounds also measure the reference the issue names, bullmq-otel, as `telemetry` on the queue
// and worker, with its defaults and with its job metrics. Writes bench/results.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createObservability } from '@ogf/observability';
import { startRedis } from '@ogf/testkit/services';
import { metrics, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { Queue, Worker } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { createBullMQObservability } from '../src/index.js';

const loadStart = loadavg()[0]!.toFixed(2);
const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TARGET = 1.1;

// An OTLP/HTTP sink: accepts every export, keeps nothing (a collector that is fast and far away).
const sink = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const redis = await startRedis();
const connection = { host: redis.host, port: redis.port };
const obs = createObservability({
  env: { OTEL_SERVICE_NAME: 'bullmq-bench', OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl },
  lifecycleOptions: { queue: 'external' },
  logDestination: { write: () => undefined },
});
const bull = createBullMQObservability({ obs });
// A documented alternative, measured as its own row and never as the target: the same
// instrumentation with traces sampled at 10% (parent-based ratio sampler, as `OTEL_TRACES_SAMPLER`
// sets it on the producers and the workers alike).
const SAMPLE_RATIO = 0.1;
const sampledObs = createObservability({
  env: {
    OTEL_SERVICE_NAME: 'bullmq-bench',
    OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(SAMPLE_RATIO),
  },
  lifecycleOptions: { queue: 'external' },
  logDestination: { write: () => undefined },
});
const sampledBull = createBullMQObservability({ obs: sampledObs });

// The reference, bullmq-otel: it takes the global tracer and meter providers, which `obs` (made
// first) registers, so its spans go through the same TracerProvider, BatchSpanProcessor, OTLP/HTTP
// exporter and sink, and its metrics to the same MeterProvider. Made after `obs`: it gets its meter
// when constructed.
const globalTracerProvider = trace.getTracerProvider();
if (
  !(globalTracerProvider instanceof ProxyTracerProvider) ||
  globalTracerProvider.getDelegate() !== obs.tracerProvider ||
  metrics.getMeterProvider() !== obs.meterProvider
) {
  throw new Error('bench: expected the global tracer and meter providers to be the ones of `obs`, for bullmq-otel to use them');
}
const BULLMQ_OTEL_VERSION = (createRequire(import.meta.url)('bullmq-otel/package.json') as { version: string }).version;
const bullmqOtel = new BullMQOtel();
const bullmqOtelMetrics = new BullMQOtel({ enableMetrics: true });
if (bullmqOtel.meter !== undefined || bullmqOtelMetrics.meter === undefined) {
  throw new Error('bench: expected bullmq-otel to record metrics with `enableMetrics: true` only');
}

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/**
 * What a variant turns on: BullMQ's `telemetry` option (none, ours, or the reference bullmq-otel
 * with its defaults or with metrics), and the processor wrapper (+ observe(worker)); `sampled` is
 * the full instrumentation with the 10% sampler, `cancellable` with `cancellation: true`.
 */
const VARIANTS = {
  bare: { telemetry: 'none', wrapper: false, sampled: false, cancellation: false },
  telemetry: { telemetry: 'ogf', wrapper: false, sampled: false, cancellation: false },
  wrapper: { telemetry: 'none', wrapper: true, sampled: false, cancellation: false },
  full: { telemetry: 'ogf', wrapper: true, sampled: false, cancellation: false },
  sampled: { telemetry: 'ogf', wrapper: true, sampled: true, cancellation: false },
  cancellable: { telemetry: 'ogf', wrapper: true, sampled: false, cancellation: true },
  bullmqOtel: { telemetry: 'bullmq-otel', wrapper: false, sampled: false, cancellation: false },
  bullmqOtelMetrics: { telemetry: 'bullmq-otel-metrics', wrapper: false, sampled: false, cancellation: false },
} as const;
type Variant = keyof typeof VARIANTS;

// Every variant drains the same jobs: each carries the trace context of one submission, as
// `bull.submit` stores it (the uninstrumented worker ignores it).
const carrier = await obs.batches.submit({ id: 'bench', activityCount: 0 }, (sub) => JSON.stringify(sub.carrier));
// The sampled variant's jobs carry one submission each, made under the 10% sampler, so about a
// tenth of them are in a sampled trace (one shared carrier would make all or none sampled).
const sampledCarriers: string[] = [];
for (let i = 0; i < JOBS; i += 1) {
  sampledCarriers.push(await sampledObs.batches.submit({ id: `sampled-${i}`, activityCount: 0 }, (sub) => JSON.stringify(sub.carrier)));
}
const sampledShare = sampledCarriers.filter((c) => (JSON.parse(c) as { traceparent: string }).traceparent.endsWith('-01')).length / JOBS;

async function drain(variant: Variant, round: number, workMs = 0): Promise<Sample> {
  const { telemetry: which, wrapper, sampled, cancellation } = VARIANTS[variant];
  const name = `${variant}-${round}-${workMs}`;
  const instrumentation = sampled ? sampledBull : bull;
  const telemetry = {
    none: {},
    ogf: { telemetry: instrumentation.telemetry },
    'bullmq-otel': { telemetry: bullmqOtel },
    'bullmq-otel-metrics': { telemetry: bullmqOtelMetrics },
  }[which];
  const queue = new Queue(name, { connection, ...telemetry });
  // The producer side is not timed: the jobs are in Redis before the worker starts.
  await queue.addBulk(
    Array.from({ length: JOBS }, (_, i) => ({
      name: 'job',
      data: { batchId: `${name}-${i}` },
      opts: { telemetry: { metadata: sampled ? sampledCarriers[i]! : carrier } },
    })),
  );
  const noop = (): Promise<undefined> =>
    workMs === 0 ? Promise.resolve(undefined) : new Promise((resolve) => setTimeout(() => resolve(undefined), workMs));
  const worker = new Worker(name, wrapper ? instrumentation.processor(noop, { cancellation }) : noop, {
    connection,
    autorun: false,
    ...telemetry,
  });
  const observation = wrapper ? instrumentation.observe(worker, { health: false }) : undefined;
  let completed = 0;
  const done = new Promise<void>((resolve) => worker.on('completed', () => ++completed === JOBS && resolve()));
  await worker.waitUntilReady();
  const cpu = process.cpuUsage();
  const start = performance.now();
  void worker.run();
  await done;
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  observation?.close();
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await obs.forceFlush();
  await sampledObs.forceFlush();
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// A warm-up round, then ROUNDS rounds, each running every variant once in a rotated order.
const names = Object.keys(VARIANTS) as Variant[];
for (const variant of names) await drain(variant, -1);
const samples = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<Variant, Sample[]>;
const ratios = Object.fromEntries(names.map((n) => [n, { wall: [] as number[], cpu: [] as number[] }])) as Record<
  Variant,
  { wall: number[]; cpu: number[] }
>;
for (let round = 0; round < ROUNDS; round += 1) {
  const order = names.map((_, i) => names[(i + round) % names.length]!);
  const got = {} as Record<Variant, Sample>;
  for (const variant of order) got[variant] = await drain(variant, round);
  for (const variant of names) {
    samples[variant].push(got[variant]);
    ratios[variant].wall.push(got[variant].wallMs / got.bare.wallMs);
    ratios[variant].cpu.push(got[variant].cpuMs / got.bare.cpuMs);
  }
  console.log(`round ${round}: ${names.map((n) => `${n} ${got[n].wallMs.toFixed(0)} ms`).join(', ')}`);
}
// For scale: the same comparison (baseline vs fully instrumented) with jobs that wait 1 ms (a timer,
// standing in for the I/O a real job does).
const WORK_MS = 1;
const slow: Record<'bare' | 'full', number[]> = { bare: [], full: [] };
const slowRatios: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const pair = round % 2 === 0 ? (['bare', 'full'] as const) : (['full', 'bare'] as const);
  const got = {} as Record<'bare' | 'full', Sample>;
  for (const variant of pair) got[variant] = await drain(variant, round, WORK_MS);
  slow.bare.push(got.bare.wallMs);
  slow.full.push(got.full.wallMs);
  slowRatios.push(got.full.wallMs / got.bare.wallMs);
  console.log(`round ${round} (${WORK_MS} ms jobs): bare ${got.bare.wallMs.toFixed(0)} ms, full ${got.full.wallMs.toFixed(0)} ms`);
}
await obs.shutdown({ timeoutMs: 5000 });
await sampledObs.shutdown({ timeoutMs: 5000 });
await redis.stop();
sink.close();

const f0 = (n: number): string => n.toFixed(0);
const LABELS: Record<Variant, string> = {
  bare: 'uninstrumented worker (baseline)',
  telemetry: '`telemetry` only (BullMQ spans + job metrics)',
  wrapper: '`processor` wrapper + `observe(worker)` only',
  full: 'instrumented: `telemetry` + wrapper + `observe(worker)`',
  sampled: `alternative, not the target: instrumented, traces sampled ${SAMPLE_RATIO * 100}% (\`parentbased_traceidratio\`)`,
  cancellable: 'for scale, not the target: instrumented with `processor(fn, { cancellation: true })`',
  bullmqOtel: `reference, not the target: bullmq-otel ${BULLMQ_OTEL_VERSION} as \`telemetry\`, defaults (BullMQ spans)`,
  bullmqOtelMetrics: `reference, not the target: bullmq-otel ${BULLMQ_OTEL_VERSION} as \`telemetry\`, \`enableMetrics: true\` (BullMQ spans + job metrics)`,
};
const rows = names.map((n) => {
  const wall = median(samples[n].map((s) => s.wallMs));
  const extra = n === 'bare' ? '–' : f0(((wall - median(samples.bare.map((s) => s.wallMs))) * 1000) / JOBS);
  const best = Math.min(...samples[n].map((s) => s.wallMs)) / Math.min(...samples.bare.map((s) => s.wallMs));
  return `| ${LABELS[n]} | ${f0(wall)} | ${f0((wall * 1000) / JOBS)} | ${extra} | ${f0(median(samples[n].map((s) => s.cpuMs)))} | ${median(ratios[n].wall).toFixed(2)}× | ${median(ratios[n].cpu).toFixed(2)}× | ${best.toFixed(2)}× |`;
});
const fullRatio = median(ratios.full.wall);
const met = fullRatio <= TARGET ? 'met' : 'missed';
const results = `## @ogf/bullmq

${JOBS.toLocaleString('en')} no-op jobs drained by one BullMQ 6.7.0 worker (concurrency 1) from a throwaway Redis on loopback, same
process and run: a warm-up round, then ${ROUNDS} rounds running each variant once in a rotated order. Instrumented =
\`telemetry: bull.telemetry\` on the queue and the worker (BullMQ's own spans and job metrics), \`bull.processor(fn)\`
(each job in \`obs.batches.process\`: batch metrics, the \`batch.processing\` span continuing the job's carrier, audit
records) and \`bull.observe(worker)\`; the SDK exports spans over OTLP/HTTP to a local sink that discards them. Every job
carries a submission's carrier. Time = from \`worker.run()\` to the last \`completed\` event; CPU = this process's user +
system time in that interval (Redis is its own process). Ratios are medians of the per-round ratios to the baseline; the
best-round ratio divides each variant's fastest round by the baseline's fastest (the least disturbed by other work on the
machine), for comparison only: the target is judged on the median.

| variant | wall ms / ${JOBS} jobs | µs / job | + µs / job | CPU ms | wall ratio | CPU ratio | best-round wall ratio |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

**Target: instrumented ≤ ${TARGET}× the uninstrumented worker — ${met}: ${fullRatio.toFixed(2)}×** (per-round ratios:
${ratios.full.wall.map((r) => r.toFixed(2)).join(', ')}).

For scale, jobs that wait ${WORK_MS} ms (a timer standing in for a real job's I/O), baseline vs fully instrumented, ${ROUNDS} pairs:
${f0(median(slow.bare))} ms vs ${f0(median(slow.full))} ms per ${JOBS} jobs, **${median(slowRatios).toFixed(2)}×** (per-pair: ${slowRatios.map((r) => r.toFixed(2)).join(', ')}).

The \`sampled\` row is the same instrumentation with a parent-based 10% ratio sampler on the producer and the worker
(${(sampledShare * 100).toFixed(0)}% of its jobs carry a sampled trace): metrics, audit records and logs are all still recorded, only
about a tenth of the traces are. It is a documented alternative, listed for scale, and not the target.

The two \`reference\` rows are bullmq-otel ${BULLMQ_OTEL_VERSION}, the implementation of BullMQ's \`telemetry\` the issue names as the one
to beat, measured in the same rounds for comparison (the target is our instrumented row): \`new BullMQOtel()\` and
\`new BullMQOtel({ enableMetrics: true })\` as \`telemetry\` on the queue and the worker, with the bare processor. bullmq-otel
takes the global providers; the run checks that they are \`obs\`'s, so its spans go through the same TracerProvider,
BatchSpanProcessor, OTLP/HTTP exporter and sink, and its metrics to the same MeterProvider. Like for like (the same BullMQ
spans and job metric calls) with our \`telemetry\` only row: **ours ${median(ratios.telemetry.wall).toFixed(2)}×, bullmq-otel with metrics
${median(ratios.bullmqOtelMetrics.wall).toFixed(2)}×, bullmq-otel's defaults (spans only) ${median(ratios.bullmqOtel.wall).toFixed(2)}×** the baseline (per-round ratios, in that order:
${ratios.telemetry.wall.map((r) => r.toFixed(2)).join(', ')}; ${ratios.bullmqOtelMetrics.wall.map((r) => r.toFixed(2)).join(', ')}; ${ratios.bullmqOtel.wall.map((r) => r.toFixed(2)).join(', ')}).

What each records per no-op job (from the sources of bullmq-otel ${BULLMQ_OTEL_VERSION} and BullMQ 6.7.0):
- BullMQ makes the calls, the same for both: a \`process <queue>\` CONSUMER span continuing the job's carrier (worker id and
  name, job id and name, timestamps, a \`job completed\` event with the JSON result) and a \`complete <queue>\` span (job id and
  name); with a meter, one \`bullmq.jobs.completed\` add and one \`bullmq.job.duration\` record (ms), each with a new
  \`{ bullmq.queue.name, bullmq.job.name, bullmq.job.state }\` object.
- bullmq-otel forwards each call as is to the global tracer and, only with \`enableMetrics: true\`, to meter \`bullmq\`: a
  synchronous counter, and the histogram in ms with the SDK's default buckets. It has nothing beyond BullMQ's calls.
- Our \`telemetry\` records the same spans on \`obs\`'s TracerProvider (plus ERROR status on recorded exceptions), sums the
  job counters per attribute set into an observable counter read at collect time, records the duration in seconds with
  job buckets (5 ms–10 min) on one interned attributes object per set, and drops BullMQ's pushed \`bullmq.queue.jobs\` gauge.
- Our instrumented row adds what bullmq-otel has no counterpart for: per job the \`batch.processing\` span, the batch
  lifecycle metrics (started, completed, processing duration, queue wait, worker busy/idle, state transitions) and two
  audit records; \`observe(worker)\`'s listeners and health check; queue gauges read at collect time (\`observe(queue)\`,
  not used here).

Measured ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'cpu'}, Node ${process.version}
(the machine was shared with other work: load average ${loadStart} at the start, ${loadavg()[0]!.toFixed(2)} at the end, so absolute
numbers are noisy; the ratios come from the same run).
`;
// What was tried, with before/after numbers, is kept by hand in findings.md and appended.
const findings = readFileSync(join(import.meta.dirname, 'findings.md'), 'utf8');
writeFileSync(join(import.meta.dirname, 'results.md'), `${results}\n${findings}`);
console.log(results);
