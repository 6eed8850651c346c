// A throwaway Prometheus server for tests (Debian package `prometheus`, /usr/bin/prometheus, or
// $OGF_PROMETHEUS): it scrapes the targets a test names, on 127.0.0.1 with a free port, storage
// in a temporary directory, and answers PromQL through its HTTP API.
//
//   const prom = await startPrometheus({ targets: ['127.0.0.1:8080'] });   // scrapes /metrics every 1 s
//   await prom.waitForTargetsUp();                       // every target scraped successfully once
//   const samples = await prom.query('sum(batch_submitted_total)');  // [{ metric: {}, value: 3 }]
//   const value = await prom.waitForValue('sum(batch_submitted_total)', (v) => v === 3);
//   await prom.stop();                                   // process gone, temp dir removed (idempotent)
//
// Options (all optional except `targets` or `scrapeConfigs`):
//   targets: string[]                 host:port pairs, one static job `jobName` (default 'ogf')
//   metricsPath: string               default '/metrics'
//   scrapeIntervalSeconds: number     default 1 (also the rule evaluation interval)
//   scrapeConfigs: string             raw YAML list items appended under `scrape_configs:`
//   rules: Record<string, string>     rule files by name → YAML content; written to the temp dir
//                                     and listed under `rule_files:` (e.g. alert or recording rules)
//   startTimeoutMs: number            default 30 s (the machine may be busy)
//   flags: string[]                   extra command-line flags, e.g. ['--enable-feature=exemplar-storage']
//
// Handle:
//   url, port, configFile, dir        where it listens and what it was started with
//   query(promql, time?)              instant query → { metric, value }[] (value is a number; NaN/±Inf kept)
//   queryRange(promql, startSec, endSec, stepSec) → { metric, values: [sec, number][] }[]
//   waitForValue(promql, predicate | number, { timeoutMs? })  polls an instant query until the
//                                     first sample's value satisfies it; resolves with that value,
//                                     rejects with the last result and the server log on timeout
//   targets()                         the /api/v1/targets active targets (health, lastError, scrapeUrl)
//   waitForTargetsUp({ timeoutMs? })  resolves once every active target reports health 'up'
//   rules()                           the /api/v1/rules groups (for rule-file tests)
//   queryExemplars(promql, startSec, endSec)  /api/v1/query_exemplars → { seriesLabels, exemplars }[]
//                                     (needs flags: ['--enable-feature=exemplar-storage'])
//   logs()                            what Prometheus printed (put it in failure messages)
//   stop()
//
// A missing binary fails the start with an error naming the Debian package: a test that silently
// skips cannot fail.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked, stopProcessTree } from './processes.ts';
import { freePort } from './services.ts';

export interface PrometheusOptions {
  targets?: string[];
  jobName?: string;
  metricsPath?: string;
  scrapeIntervalSeconds?: number;
  scrapeConfigs?: string;
  rules?: Record<string, string>;
  startTimeoutMs?: number;
  flags?: string[];
}

export interface PromExemplars {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: number; timestamp: number }[];
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface PromSeries {
  metric: Record<string, string>;
  values: [number, number][];
}

export interface PromTarget {
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  labels: Record<string, string>;
}

export interface PrometheusServer {
  url: string;
  port: number;
  dir: string;
  configFile: string;
  query(promql: string, time?: Date): Promise<PromSample[]>;
  queryRange(promql: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<PromSeries[]>;
  waitForValue(promql: string, expected: number | ((value: number) => boolean), options?: { timeoutMs?: number }): Promise<number>;
  targets(): Promise<PromTarget[]>;
  waitForTargetsUp(options?: { timeoutMs?: number }): Promise<void>;
  rules(): Promise<unknown[]>;
  queryExemplars(promql: string, startSeconds: number, endSeconds: number): Promise<PromExemplars[]>;
  logs(): string;
  stop(): Promise<void>;
}

function findPrometheus(): string {
  const candidates = [
    process.env.OGF_PROMETHEUS,
    '/usr/bin/prometheus',
    ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'prometheus')),
  ];
  const found = candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate));
  if (!found) {
    throw new Error(
      'the Prometheus server binary was not found ($OGF_PROMETHEUS, /usr/bin/prometheus, PATH): install the Debian package `prometheus` (scripts/install-test-deps.sh)',
    );
  }
  return found;
}

function parseValue(raw: string): number {
  // Prometheus encodes sample values as strings: "1", "NaN", "+Inf", "-Inf".
  return raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
}

function buildConfig(options: PrometheusOptions, ruleFiles: string[]): string {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const lines = ['global:', `  scrape_interval: ${interval}`, `  evaluation_interval: ${interval}`, `  scrape_timeout: ${interval}`];
  if (ruleFiles.length > 0) lines.push('rule_files:', ...ruleFiles.map((file) => `  - ${JSON.stringify(file)}`));
  lines.push('scrape_configs:');
  if (options.targets && options.targets.length > 0) {
    lines.push(
      `  - job_name: ${JSON.stringify(options.jobName ?? 'ogf')}`,
      `    metrics_path: ${JSON.stringify(options.metricsPath ?? '/metrics')}`,
      '    static_configs:',
      `      - targets: [${options.targets.map((target) => JSON.stringify(target)).join(', ')}]`,
    );
  }
  if (options.scrapeConfigs) lines.push(options.scrapeConfigs);
  return `${lines.join('\n')}\n`;
}

/** Starts Prometheus scraping `options.targets` and waits until it is ready to answer queries. */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  if (!options.targets?.length && !options.scrapeConfigs) throw new Error('startPrometheus needs `targets` or `scrapeConfigs`');
  const binary = findPrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'ogf-prometheus-'));
  const ruleFiles = Object.entries(options.rules ?? {}).map(([name, content]) => {
    const file = join(dir, name.endsWith('.yml') || name.endsWith('.yaml') ? name : `${name}.yml`);
    writeFileSync(file, content);
    return file;
  });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, buildConfig(options, ruleFiles));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  let output = '';
  const child: ChildProcess = spawnTracked(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
      ...(options.flags ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopProcessTree(child);
    rmSync(dir, { recursive: true, force: true });
  };

  async function api<T>(path: string): Promise<T> {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path} failed: ${body.error ?? response.status}`);
    return body.data;
  }

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`Prometheus exited during start:\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus was not ready within the start timeout:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const server: PrometheusServer = {
    url,
    port,
    dir,
    configFile,
    async query(promql, time) {
      const params = new URLSearchParams({ query: promql });
      if (time) params.set('time', String(time.getTime() / 1000));
      const data = await api<{ resultType: string; result: unknown }>(`/api/v1/query?${params}`);
      if (data.resultType === 'scalar' || data.resultType === 'string') {
        const [, raw] = data.result as [number, string];
        return [{ metric: {}, value: parseValue(raw) }];
      }
      return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((item) => ({
        metric: item.metric,
        value: parseValue(item.value[1]),
      }));
    },
    async queryRange(promql, start, end, step) {
      const params = new URLSearchParams({ query: promql, start: String(start), end: String(end), step: String(step) });
      const data = await api<{ result: { metric: Record<string, string>; values: [number, string][] }[] }>(`/api/v1/query_range?${params}`);
      return data.result.map((item) => ({
        metric: item.metric,
        values: item.values.map(([t, v]) => [t, parseValue(v)] as [number, number]),
      }));
    },
    async waitForValue(promql, expected, waitOptions = {}) {
      const accept = typeof expected === 'number' ? (value: number) => value === expected : expected;
      const until = Date.now() + (waitOptions.timeoutMs ?? 30_000);
      let last: PromSample[] = [];
      for (;;) {
        last = await server.query(promql);
        const first = last[0];
        if (first && accept(first.value)) return first.value;
        if (Date.now() > until) {
          throw new Error(
            `Prometheus query ${promql} never matched; last result ${JSON.stringify(last)}\n--- prometheus log ---\n${output}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async targets() {
      const data = await api<{ activeTargets: PromTarget[] }>('/api/v1/targets');
      return data.activeTargets.map(({ scrapeUrl, health, lastError, labels }) => ({ scrapeUrl, health, lastError, labels }));
    },
    async waitForTargetsUp(waitOptions = {}) {
      const until = Date.now() + (waitOptions.timeoutMs ?? 30_000);
      for (;;) {
        const targets = await server.targets();
        if (targets.length > 0 && targets.every((target) => target.health === 'up')) return;
        if (Date.now() > until) throw new Error(`Prometheus targets not up: ${JSON.stringify(targets)}\n--- prometheus log ---\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async rules() {
      const data = await api<{ groups: unknown[] }>('/api/v1/rules');
      return data.groups;
    },
    async queryExemplars(promql, start, end) {
      const params = new URLSearchParams({ query: promql, start: String(start), end: String(end) });
      const data = await api<
        { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[]
      >(`/api/v1/query_exemplars?${params}`);
      return data.map((item) => ({
        seriesLabels: item.seriesLabels,
        exemplars: item.exemplars.map((e) => ({ labels: e.labels, value: parseValue(e.value), timestamp: e.timestamp })),
      }));
    },
    logs: () => output,
    stop,
  };
  return server;
}
