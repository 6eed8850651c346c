// `pnpm bench` for @ogf/observability, request telemetry: requests per second of a Hono route that
// returns JSON, bare and with `app.use(obs.requests.hono())` (server span exported over OTLP/HTTP to
// a sink process, duration histogram, in-flight gauge, request id, access log line to a discarding
// destination), each on a real Node server under wrk on loopback, in paired rounds of one run.
// Writes its section into bench/results.md (between the request-telemetry markers). For attribution:
// BENCH_NO_OTLP=1 (spans made but not exported), BENCH_NO_LOG=1 (no access log line),
// BENCH_AGAINST=middleware|als (the second server is the bare route behind one pass-through
// middleware, or behind one AsyncLocalStorage run per request, instead of request telemetry),
// BENCH_SAMPLE_RATIO=0.1 (an alternative setup: parentbased_traceidratio sampling; not the target's),
// BENCH_OTLP_PROTOCOL=http/json (spans exported as JSON instead of protobuf, the default).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DURATION = process.env.BENCH_DURATION ?? '5s';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = 1.15;

/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used, in µs, from /proc (Linux); `undefined` elsewhere. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/** One wrk run against a server: its request rate and the server's CPU µs per request (a load-independent cost). */
async function wrk(url: string, pid: number | undefined): Promise<{ rate: number; cpuPerRequest: number | undefined }> {
  const before = cpuMicros(pid);
  const { stdout } = await run('wrk', ['-t1', '-c10', `-d${DURATION}`, url]);
  const after = cpuMicros(pid);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const total = /(\d+) requests in/.exec(stdout);
  if (!match || !total) throw new Error(`wrk printed no rate:\n${stdout}`);
  const requests = Number(total[1]);
  const cpuPerRequest = before === undefined || after === undefined || requests === 0 ? undefined : (after - before) / requests;
  return { rate: Number(match[1]), cpuPerRequest };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

// An OTLP sink in its own process (as a collector would be) that accepts and drops span exports
// (an empty success answer in the request's encoding), so the BatchSpanProcessor really serialises
// and sends them.
const SINK = `const s = require('node:http').createServer((q, r) => { q.resume(); q.on('end', () => {
  const proto = String(q.headers['content-type']).includes('protobuf');
  r.writeHead(200, { 'content-type': proto ? 'application/x-protobuf' : 'application/json' }).end(proto ? '' : '{}');
}); });
s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port));`;

function startProcess(args: string[], env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => child.stdout?.once('data', (chunk: Buffer) => resolve({ url: String(chunk).trim(), child })));
}

const sink = await startProcess(['-e', SINK]);
const bare = await startProcess(['--import', 'tsx', 'bench/request-server.ts', 'bare']);
const instrumented = await startProcess(
  ['--import', 'tsx', 'bench/request-server.ts', process.env.BENCH_AGAINST ?? 'instrumented'],
  process.env.BENCH_NO_OTLP ? {} : { OTLP_URL: sink.url },
);
const path = '/api/v1/batches/b-42';

const loadBefore = loadavg()[0] ?? 0;
await wrk(bare.url + path, bare.child.pid); // warm-up both
await wrk(instrumented.url + path, instrumented.child.pid);
const bareRates: number[] = [];
const instrumentedRates: number[] = [];
const ratios: number[] = [];
const bareCpu: number[] = [];
const instrumentedCpu: number[] = [];
const cpuRatios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ['bare', 'instrumented'] : ['instrumented', 'bare'];
  const results: Record<string, Awaited<ReturnType<typeof wrk>>> = {};
  for (const name of order) {
    const server = name === 'bare' ? bare : instrumented;
    results[name] = await wrk(server.url + path, server.child.pid);
  }
  const b = results.bare;
  const i = results.instrumented;
  if (b === undefined || i === undefined) throw new Error('a wrk round returned nothing');
  bareRates.push(b.rate);
  instrumentedRates.push(i.rate);
  ratios.push(b.rate / i.rate);
  if (b.cpuPerRequest !== undefined && i.cpuPerRequest !== undefined) {
    bareCpu.push(b.cpuPerRequest);
    instrumentedCpu.push(i.cpuPerRequest);
    cpuRatios.push(i.cpuPerRequest / b.cpuPerRequest);
  }
}
const loadAfter = loadavg()[0] ?? 0;
const ratio = median(ratios);
const cpuRatio = median(cpuRatios);
const cpuRow =
  cpuRatios.length === 0
    ? ''
    : `\n| server CPU µs per request (median, from /proc) | ${median(bareCpu).toFixed(1)} | ${median(instrumentedCpu).toFixed(1)} | ${cpuRatio.toFixed(2)}× | ≤ ${TARGET}× | ${cpuRatio <= TARGET ? 'yes' : 'no'} |`;
for (const p of [bare, instrumented, sink]) p.child.kill('SIGTERM');

const variations = [
  process.env.BENCH_AGAINST ? `second server: \`${process.env.BENCH_AGAINST}\` (attribution, not request telemetry)` : '',
  process.env.BENCH_NO_OTLP ? 'spans not exported (`BENCH_NO_OTLP`)' : '',
  process.env.BENCH_NO_LOG ? 'no access log (`BENCH_NO_LOG`)' : '',
  process.env.BENCH_OTLP_PROTOCOL ? `OTLP protocol \`${process.env.BENCH_OTLP_PROTOCOL}\`` : '',
  process.env.BENCH_SAMPLE_RATIO
    ? `parentbased_traceidratio ${process.env.BENCH_SAMPLE_RATIO} (an alternative setup, not the target's)`
    : '',
].filter((v) => v !== '');
const setup = variations.length === 0 ? '' : `\n**Not the target's setup:** ${variations.join('; ')}.\n`;
const section = `<!-- request-telemetry:start -->
### Request telemetry

A Hono route returning JSON (\`GET /api/v1/batches/:id\`), bare and behind \`app.use(obs.requests.hono())\` (SERVER span
exported over OTLP/HTTP (protobuf, the default) to a sink in another process by the BatchSpanProcessor, \`http.server.request.duration\`,
\`http.server.active_requests\`, request id generated and echoed, one access log line through pino to a discarding
destination), each in its own Node process (\`@hono/node-server\` listener; one process, so neither side pays for the other's AsyncLocalStorage) under \`wrk -t1 -c10 -d${DURATION}\` on loopback,
${ROUNDS} paired rounds alternating which goes first. Cost = bare req/s ÷ instrumented req/s, and instrumented ÷ bare server
CPU time per request (medians of the paired ratios).
${setup}
| measure | bare | instrumented | cost | target | met |
|---|---:|---:|---:|---:|:-:|
| req/s (median) | ${median(bareRates).toFixed(0)} | ${median(instrumentedRates).toFixed(0)} | ${ratio.toFixed(2)}× | ≤ ${TARGET}× | ${ratio <= TARGET ? 'yes' : 'no'} |${cpuRow}

Measured ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version};
1-minute load average ${loadBefore.toFixed(2)} at the start and ${loadAfter.toFixed(2)} at the end (wrk shares the machine).
Reproduce: \`pnpm --filter @ogf/observability bench\` (or \`tsx bench/requests.ts\` in the package).
<!-- request-telemetry:end -->`;

const file = join(import.meta.dirname, 'results.md');
const current = existsSync(file) ? readFileSync(file, 'utf8') : '## @ogf/observability\n';
const marked = /<!-- request-telemetry:start -->[\s\S]*<!-- request-telemetry:end -->/;
writeFileSync(file, marked.test(current) ? current.replace(marked, section) : `${current.trimEnd()}\n\n${section}\n`);
console.log(section);
