// The Prometheus process behind `startPrometheus` (prometheus.ts): config and rule files in a
// temporary directory, the server on a free port, started again on another port if that one was
// taken before Prometheus bound it. Ready means /-/ready answers AND the server answering is ours
// (its storage path is our directory): another Prometheus on a stolen port answers /-/ready too.
// Internal: tests of testkit itself pass `internals`; users call startPrometheus.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOnFreePort } from './port-retry.ts';
import { createPrometheusApi, type PrometheusApi } from './prometheus-api.ts';
import { spawnTracked, stopProcessTree } from './processes.ts';
import type { ServiceInternals } from './service-handle.ts';

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

export interface PrometheusServer extends PrometheusApi {
  url: string;
  port: number;
  dir: string;
  configFile: string;
  logs(): string;
  stop(): Promise<void>;
}

/** `level=error msg="Unable to start web listener" err="listen tcp 127.0.0.1:PORT: bind: address already in use"`. */
const IN_USE = /listen tcp .*: bind: address already in use/;

/** startPrometheus with testkit's own test hook: the port picker. */
export async function launchPrometheus(
  options: PrometheusOptions,
  internals: Pick<ServiceInternals, 'pickPort'> = {},
): Promise<PrometheusServer> {
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
  const storage = join(dir, 'data');
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${storage}`,
    '--storage.tsdb.retention.time=1h',
    '--log.level=warn',
    ...(options.flags ?? []),
  ];
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let started: { child: ChildProcess; port: number; output: () => string };
  try {
    started = await startOnFreePort({
      name: 'Prometheus',
      inUse: IN_USE,
      start: (port) => startProcess(binary, [...args, `--web.listen-address=127.0.0.1:${port}`], port, storage, timeoutMs),
      pickPort: internals.pickPort,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { child, port, output } = started;
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    url,
    port,
    dir,
    configFile,
    ...createPrometheusApi(url, output),
    logs: output,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcessTree(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns Prometheus and resolves once it is ready and it is ours; on failure it is stopped. */
async function startProcess(
  binary: string,
  args: string[],
  port: number,
  storage: string,
  timeoutMs: number,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  let text = '';
  const output = (): string => text;
  const child = spawnTracked(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await exited; // every line it printed, the reason it exited included
      await stopProcessTree(child);
      throw new Error(`Prometheus exited during start:\n${text}`);
    }
    if (await readyAndOurs(url, storage)) return { child, port, output };
    if (Date.now() > deadline) {
      await stopProcessTree(child);
      throw new Error(`Prometheus was not ready within the start timeout:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readyAndOurs(url: string, storage: string): Promise<boolean> {
  try {
    if (!(await fetch(`${url}/-/ready`)).ok) return false;
    const flags = (await (await fetch(`${url}/api/v1/status/flags`)).json()) as { data?: Record<string, string> };
    return flags.data?.['storage.tsdb.path'] === storage;
  } catch {
    return false;
  }
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
