// Soak: the example (embedded store, retention on) under steady load for SOAK_MINUTES (10), with
// RSS, heap, event-loop delay and open handles sampled every 10 s inside the server process
// (scripts/soak-sampler.ts). Every accepted batch is followed to its end and checked: completed,
// every activity processed once, the factor table's total. Prints the samples and a summary (RSS
// slope over the second half, lost batches); exits 1 if a batch was lost or wrong.
//
//   pnpm --filter @ogf/example-batch-server soak                 # 10 minutes
//   SOAK_MINUTES=2 SOAK_RATE=5 pnpm --filter @ogf/example-batch-server soak
// Not part of any test run.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, waitFor, type Activity, type ApiJson } from '../test/helpers/api.ts';
import { expectedKg, knownActivities } from '../test/helpers/expected.ts';
import { listeningUrl, tempDataDir } from '../test/helpers/server-process.ts';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 4); // batches a second
const exampleDir = join(import.meta.dirname, '..');
const data = tempDataDir();
const logFile = `${data.dir}/server.log`;

const child = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/soak-sampler.ts', 'src/server.ts'], {
  cwd: exampleDir,
  env: {
    ...process.env,
    TSX_TSCONFIG_PATH: join(exampleDir, 'test', 'tsconfig.source.json'),
    // Port 0: the kernel picks a free port as the server binds; its ready line says which.
    PORT: '0',
    DATA_DIR: `${data.dir}/db`,
    LOG_FILE: logFile,
    WORKERS: '4',
    QUEUE_CAPACITY: '200',
    ACTIVITY_DELAY_MS: '2',
    FAULT_RATE: '0.02',
    FAULT_SEED: '7',
    RETENTION_MINUTES: '3',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
interface Sample {
  t: number;
  rss_mb: number;
  heap_mb: number;
  external_mb: number;
  eld_p50_ms: number;
  eld_p99_ms: number;
  eld_max_ms: number;
  handles: Record<string, number>;
}
const samples: (Sample & { submitted: number; verified: number })[] = [];
let submitted = 0;
let verified = 0;
let refused = 0;
const problems: string[] = [];
const pending = new Map<string, { activities: Activity[]; at: number }>();

let buffered = '';
child.stderr.on('data', (chunk: Buffer) => {
  buffered += chunk.toString();
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    if (!line.startsWith('SOAK ')) continue;
    const sample = { ...(JSON.parse(line.slice(5)) as Sample), submitted, verified };
    samples.push(sample);
    const handles = Object.entries(sample.handles)
      .map(([type, n]) => `${type}:${n}`)
      .join(' ');
    console.log(
      `t=${String(sample.t).padStart(4)}s rss=${sample.rss_mb}MB heap=${sample.heap_mb}MB eld p50/p99/max=${sample.eld_p50_ms}/${sample.eld_p99_ms}/${sample.eld_max_ms}ms handles[${handles}] submitted=${submitted} verified=${verified}`,
    );
  }
});
child.stdout.resume();

const url = await waitFor(
  () => Promise.resolve(existsSync(logFile) ? listeningUrl(readFileSync(logFile, 'utf8')) : undefined),
  'the server to listen',
  180_000,
);
await waitFor(
  async () => ((await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined),
  'the server to be ready',
  180_000,
);
console.log(`soak: ${MINUTES} min at ${RATE} batches/s against ${url}`);

async function verify(id: string, batch: { activities: Activity[] }): Promise<boolean> {
  const { status, json } = await getJson<ApiJson>(`${url}/api/v1/batches/${id}`);
  if (status !== 200) {
    problems.push(`${id}: GET ${status}`);
    return true;
  }
  if (!['completed', 'failed', 'cancelled'].includes(json.status)) return false;
  const expected = batch.activities.reduce((sum, activity) => sum + expectedKg(activity), 0);
  if (
    json.status !== 'completed' ||
    json.counts.processed !== batch.activities.length ||
    json.counts.succeeded !== batch.activities.length ||
    Math.abs(json.total_emissions_kg - expected) > 1e-3
  ) {
    problems.push(`${id}: ${json.status} ${JSON.stringify(json.counts)} ${json.total_emissions_kg} vs ${expected}`);
  }
  verified += 1;
  return true;
}

const end = Date.now() + MINUTES * 60_000;
let sequence = 0;
const submitter = (async () => {
  while (Date.now() < end) {
    const started = Date.now();
    const activities = knownActivities(10 + (sequence % 90), `s${sequence}-`);
    const org = `org-${sequence % 50}`;
    sequence += 1;
    const response = await fetch(`${url}/api/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ org_id: org, activities }),
    });
    const json = (await response.json()) as ApiJson;
    if (response.status === 202) {
      submitted += 1;
      pending.set(json.batch_id, { activities, at: Date.now() });
    } else if (response.status === 429) refused += 1;
    else problems.push(`submit: ${response.status} ${JSON.stringify(json)}`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / RATE - (Date.now() - started))));
  }
})();
const verifier = (async () => {
  while (Date.now() < end || pending.size > 0) {
    for (const [id, batch] of pending) if (Date.now() - batch.at > 2_000 && (await verify(id, batch))) pending.delete(id);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (Date.now() > end + 120_000) break;
  }
})();
await Promise.all([submitter, verifier]);

child.kill('SIGTERM');
const code = await exited;
data.remove();

// Least-squares slope of RSS over the second half (the first holds start-up and warm-up).
const half = samples.slice(Math.floor(samples.length / 2));
const meanT = half.reduce((sum, s) => sum + s.t, 0) / half.length;
const meanR = half.reduce((sum, s) => sum + s.rss_mb, 0) / half.length;
const covariance = half.reduce((sum, s) => sum + (s.t - meanT) * (s.rss_mb - meanR), 0);
const variance = half.reduce((sum, s) => sum + (s.t - meanT) ** 2, 0);
const slope = variance > 0 ? (covariance / variance) * 60 : 0;
const max = (key: 'rss_mb' | 'eld_p99_ms' | 'eld_max_ms' | 'heap_mb'): number => Math.max(...samples.map((s) => s[key]));
const handleTotals = samples.map((s) => Object.values(s.handles).reduce((a, b) => a + b, 0));
console.log(
  [
    '',
    `duration ${MINUTES} min, ${submitted} batches accepted (${refused} refused with 429), ${verified} verified, ${pending.size} never finished, ${problems.length} wrong`,
    `RSS first/last/max ${samples[0]?.rss_mb}/${samples.at(-1)?.rss_mb}/${max('rss_mb')} MB, second-half slope ${slope.toFixed(2)} MB/min; heap max ${max('heap_mb')} MB`,
    `event-loop delay p99 max ${max('eld_p99_ms')} ms, max ${max('eld_max_ms')} ms; active handles min/max ${Math.min(...handleTotals)}/${Math.max(...handleTotals)}`,
    `server exit ${code}`,
    ...problems.slice(0, 10),
  ].join('\n'),
);
process.exitCode = pending.size === 0 && problems.length === 0 && code === 0 ? 0 : 1;
