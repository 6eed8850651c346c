// Recording cost: each BatchMetrics operation against the raw SDK instrument calls it replaces,
// on identically configured MeterProviders (real sdk-metrics, one pull reader each), in one run.
// Writes bench/results.md. Run: `pnpm --filter @ogf/metrics bench` (or `tsx bench/run.ts`).
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Meter } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { METRIC_CATALOG, createBatchMetrics } from '../src/index.js';
import type { BatchMetrics, MetricDefinition } from '../src/index.js';

class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TARGET = 1.2;

function setup(): { provider: MeterProvider; meter: Meter; reader: PullReader } {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  return { provider, meter: provider.getMeter('offgridflow'), reader };
}

// The raw SDK calls the seed's Go code makes, written the way an application would write them.
function rawInstruments(meter: Meter) {
  const def = (name: string): MetricDefinition => METRIC_CATALOG.find((d) => d.name === name)!;
  const opts = (name: string) => ({ unit: def(name).unit, description: def(name).description });
  const hist = (name: string) =>
    meter.createHistogram(name, { ...opts(name), advice: { explicitBucketBoundaries: [...(def(name).buckets ?? [])] } });
  return {
    submitted: meter.createCounter('batch.submitted', opts('batch.submitted')),
    batchSize: hist('batch.size'),
    submitDuration: hist('batch.submit.duration'),
    processing: meter.createUpDownCounter('batch.processing', opts('batch.processing')),
    completed: meter.createCounter('batch.completed', opts('batch.completed')),
    processingDuration: hist('batch.processing.duration'),
    emissions: meter.createCounter('emissions', opts('emissions')),
    emissionsPerBatch: hist('emissions.avg.batch'),
    lastSuccess: meter.createGauge('batch.last_success.timestamp', opts('batch.last_success.timestamp')),
    activity: meter.createCounter('activity', opts('activity')),
    activitySuccess: meter.createCounter('activity.success', opts('activity.success')),
    activityDuration: hist('activity.duration'),
    workersActive: meter.createUpDownCounter('workers.active', opts('workers.active')),
    taskDuration: hist('worker.task.duration'),
    lockAcquisitions: meter.createCounter('lock.acquisitions', opts('lock.acquisitions')),
    lockWait: hist('lock.wait.duration'),
    queueSize: meter.createUpDownCounter('queue.size', opts('queue.size')),
    queueWait: hist('queue.wait.duration'),
    errors: meter.createCounter('batch.errors', opts('batch.errors')),
    retries: meter.createCounter('batch.retries', opts('batch.retries')),
    retriesSuccess: meter.createCounter('batch.retries.success', opts('batch.retries.success')),
    transitions: meter.createCounter('batch.state.transitions', opts('batch.state.transitions')),
  };
}
type Raw = ReturnType<typeof rawInstruments>;

interface Case {
  name: string;
  raw: (r: Raw, i: number) => void;
  ours: (m: BatchMetrics, i: number) => void;
}

const CASES: Case[] = [
  { name: 'batch submitted (count + size)', raw: (r, i) => { r.submitted.add(1); r.batchSize.record(i % 500); }, ours: (m, i) => m.recordBatchSubmission({ activityCount: i % 500 }) },
  { name: 'submit duration', raw: (r, i) => r.submitDuration.record((i % 100) / 1000, { success: true }), ours: (m, i) => m.recordSubmitDuration({ durationMs: i % 100, success: true }) },
  { name: 'batch started', raw: (r) => r.processing.add(1), ours: (m) => m.recordBatchStarted() },
  {
    name: 'batch completed (7 instruments)',
    raw: (r, i) => {
      r.completed.add(1);
      r.processing.add(-1);
      r.processingDuration.record((i % 5000) / 1000, { outcome: 'completed' });
      r.emissions.add(i % 900);
      r.emissionsPerBatch.record(i % 900);
      r.lastSuccess.record(Date.now() / 1000);
    },
    ours: (m, i) => m.recordBatchCompletion({ durationMs: i % 5000, emissionsKg: i % 900 }),
  },
  {
    name: 'activity processed',
    raw: (r, i) => { r.activity.add(1); r.activitySuccess.add(1); r.activityDuration.record((i % 50) / 1000, { success: true }); },
    ours: (m, i) => m.recordActivityProcessing({ success: true, durationMs: i % 50 }),
  },
  { name: 'worker idle (task time)', raw: (r, i) => { r.workersActive.add(-1); r.taskDuration.record((i % 9000) / 1000); }, ours: (m, i) => m.recordWorkerIdle({ taskMs: i % 9000 }) },
  {
    name: 'lock acquired (name, wait)',
    raw: (r, i) => { r.lockAcquisitions.add(1, { lock: 'org' }); r.lockWait.record((i % 10) / 1000, { lock: 'org', acquired: true }); },
    ours: (m, i) => m.recordLockAcquisition({ lock: 'org', waitMs: i % 10, acquired: true }),
  },
  { name: 'enqueue', raw: (r) => r.queueSize.add(1), ours: (m) => m.recordEnqueue() },
  { name: 'dequeue (wait)', raw: (r, i) => { r.queueSize.add(-1); r.queueWait.record(i % 60); }, ours: (m, i) => m.recordDequeue({ waitMs: (i % 60) * 1000 }) },
  { name: 'error by type', raw: (r) => r.errors.add(1, { error_type: 'timeout' }), ours: (m) => m.recordError({ error: 'timeout' }) },
  { name: 'retry succeeded', raw: (r) => { r.retries.add(1); r.retriesSuccess.add(1); }, ours: (m) => m.recordRetry({ succeeded: true }) },
  { name: 'state transition', raw: (r) => r.transitions.add(1, { from: 'queued', to: 'processing' }), ours: (m) => m.recordStateTransition({ from: 'queued', to: 'processing' }) },
];

function time(fn: (i: number) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i += 1) fn(i);
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const rawSetup = setup();
  const raw = rawInstruments(rawSetup.meter);
  const tallySetup = setup();
  const tally = createBatchMetrics({ meterProvider: tallySetup.provider });
  const instrumentSetup = setup();
  const instrument = createBatchMetrics({ meterProvider: instrumentSetup.provider, recording: 'instrument' });

  const rows: { name: string; raw: number; tally: number; instrument: number }[] = [];
  for (const c of CASES) {
    const samples = { raw: [] as number[], tally: [] as number[], instrument: [] as number[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate the order each round so drift and GC hit every variant alike.
      const order = round % 2 === 0 ? (['raw', 'tally', 'instrument'] as const) : (['instrument', 'tally', 'raw'] as const);
      for (const variant of order) {
        if (variant === 'raw') samples.raw.push(time((i) => c.raw(raw, i)));
        else samples[variant].push(time((i) => c.ours(variant === 'tally' ? tally : instrument, i)));
      }
      await Promise.all([rawSetup.reader.collect(), tallySetup.reader.collect(), instrumentSetup.reader.collect()]);
    }
    rows.push({ name: c.name, raw: median(samples.raw), tally: median(samples.tally), instrument: median(samples.instrument) });
    process.stdout.write(`${c.name}: raw ${median(samples.raw).toFixed(0)} ns, tally ${median(samples.tally).toFixed(0)} ns, instrument ${median(samples.instrument).toFixed(0)} ns\n`);
  }

  // What tallies cost at collect time instead: one collection of every instrument.
  const collectCost = async (reader: PullReader): Promise<number> => {
    const runs: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const start = process.hrtime.bigint();
      await reader.collect();
      runs.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    return median(runs);
  };
  const collect = { raw: await collectCost(rawSetup.reader), tally: await collectCost(tallySetup.reader), instrument: await collectCost(instrumentSetup.reader) };

  let plain = 0;
  const floor = time(() => { plain += 1; });
  if (plain !== ITERATIONS) throw new Error('the floor loop was optimised away');
  writeResults(rows, collect, floor);
}

function writeResults(
  rows: { name: string; raw: number; tally: number; instrument: number }[],
  collect: { raw: number; tally: number; instrument: number },
  floor: number,
): void {
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const met = (a: number, b: number): string => (a / b <= TARGET ? 'yes' : '**no**');
  const total = (key: 'raw' | 'tally' | 'instrument'): number => rows.reduce((s, r) => s + r[key], 0);
  const lines = [
    '## @ogf/metrics',
    '',
    `Recording cost per operation: each \`BatchMetrics\` call against the raw \`@opentelemetry/sdk-metrics\` instrument calls it replaces (same instruments, units, buckets and attributes; one MeterProvider with one pull reader per variant, collected between rounds). Median of ${ROUNDS} interleaved rounds × ${ITERATIONS.toLocaleString('en-US')} calls, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}. Target: within ${TARGET}× of raw.`,
    '',
    '| operation | raw SDK (ns/op) | BatchMetrics, tallies (default) | ratio | met | BatchMetrics, `recording: \'instrument\'` | ratio | met |',
    '|---|---:|---:|---:|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.name} | ${r.raw.toFixed(0)} | ${r.tally.toFixed(0)} | ${ratio(r.tally, r.raw)} | ${met(r.tally, r.raw)} | ${r.instrument.toFixed(0)} | ${ratio(r.instrument, r.raw)} | ${met(r.instrument, r.raw)} |`),
    `| **all operations** | ${total('raw').toFixed(0)} | ${total('tally').toFixed(0)} | ${ratio(total('tally'), total('raw'))} | ${met(total('tally'), total('raw'))} | ${total('instrument').toFixed(0)} | ${ratio(total('instrument'), total('raw'))} | ${met(total('instrument'), total('raw'))} |`,
    '',
    `One \`reader.collect()\` of all instruments afterwards (median of 50): raw ${collect.raw.toFixed(0)} µs, tallies ${collect.tally.toFixed(0)} µs, instrument ${collect.instrument.toFixed(0)} µs. A plain \`n += 1\` costs ${floor.toFixed(1)} ns here.`,
    '',
    'Choice: counters and up-down counters are kept as local tallies read by observable instruments at collect time (the default, `recording: \'tally\'`): an add is a field update with no attribute hashing, and a collection reads every tally at once, so nothing is lost or counted twice. Histograms stay synchronous SDK instruments (bucketing is the SDK\'s job), so operations that record a duration cost about what the raw histogram call costs. `recording: \'instrument\'` keeps every add on synchronous SDK counters for comparison or for pipelines that need per-measurement delivery.',
    '',
    'Reproduce: `npx -y pnpm@10.34.8 --filter @ogf/metrics bench` (env `BENCH_ITERATIONS`, `BENCH_ROUNDS`).',
    '',
  ];
  writeFileSync(join(import.meta.dirname, 'results.md'), lines.join('\n'));
  process.stdout.write(`wrote ${join(import.meta.dirname, 'results.md')}\n`);
}

await main();
