import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { operationsDoc, prometheusDir } from '../src/paths.ts';
import { promtool, promtoolFindings, type PromtoolRun } from '../src/promtool.ts';

interface RuleFile {
  groups: {
    name: string;
    interval?: string;
    rules: { record?: string; alert?: string; expr: string; annotations?: Record<string, string> }[];
  }[];
}
interface PromConfig {
  rule_files: string[];
  scrape_configs: {
    job_name: string;
    metrics_path?: string;
    static_configs?: { targets: string[] }[];
    dns_sd_configs?: { names: string[] }[];
  }[];
}
interface UnitTestFile {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const rulesDir = join(prometheusDir, 'rules');
const testsDir = join(prometheusDir, 'tests');
const ruleFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const unitTestFiles = readdirSync(testsDir)
  .filter((f) => f.endsWith('.test.yml'))
  .sort();
const configs = ['prometheus.yml', 'prometheus.compose.yml'];

const readYaml = <T>(file: string): T => parse(readFileSync(file, 'utf8')) as T;
const alerts = ruleFiles.flatMap((f) => readYaml<RuleFile>(join(rulesDir, f)).groups.flatMap((g) => g.rules.filter((r) => r.alert)));

function expectClean(args: string[], cwd: string): void {
  const run = promtool(args, cwd);
  expect({ exitCode: run.exitCode, findings: promtoolFindings(run.output) }, run.output).toEqual({
    exitCode: 0,
    findings: [],
  });
}

describe('the Prometheus configuration', () => {
  it.each(configs)('%s passes promtool check config with no findings', (config) => {
    expectClean(['check', 'config', config], prometheusDir);
  });

  it.each(configs)('%s loads every rule file in deploy/prometheus/rules and scrapes /metrics', (config) => {
    const parsed = readYaml<PromConfig>(join(prometheusDir, config));
    expect([...parsed.rule_files].sort()).toEqual(ruleFiles.map((f) => `rules/${f}`));
    const job = parsed.scrape_configs.find((c) => c.job_name === 'batch-server');
    expect(job?.metrics_path).toBe('/metrics');
    // A fixed target locally; in compose, every api and worker container found by DNS.
    const targets = [...(job?.static_configs ?? []).flatMap((s) => s.targets), ...(job?.dns_sd_configs ?? []).flatMap((d) => d.names)];
    expect(targets.length).toBeGreaterThan(0);
  });

  it.each(ruleFiles)('rules/%s passes promtool check rules with no findings', (file) => {
    expectClean(['check', 'rules', join('rules', file)], prometheusDir);
  });
});

describe('the promtool unit tests of the rules', () => {
  // The anomaly tests replay up to two days of five-minute evaluations against one-day baselines:
  // ~10 s, more on a loaded machine.
  it.each(unitTestFiles)(
    'tests/%s passes promtool test rules',
    (file) => {
      expectClean(['test', 'rules', join('tests', file)], prometheusDir);
    },
    180_000,
  );

  it('cover every alert with at least one case where it fires and one where it stays quiet', () => {
    const cases = unitTestFiles.flatMap((f) => readYaml<UnitTestFile>(join(testsDir, f)).tests.flatMap((t) => t.alert_rule_test ?? []));
    for (const { alert } of alerts) {
      const own = cases.filter((c) => c.alertname === alert);
      expect(
        own.some((c) => c.exp_alerts.length > 0),
        `${alert} never fires in a test`,
      ).toBe(true);
      expect(
        own.some((c) => c.exp_alerts.length === 0),
        `${alert} is never shown quiet`,
      ).toBe(true);
    }
  });
});

describe('the unit tests can fail', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ogf-rules-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // Each mutation is a plausible mistake; the named case of the unit tests must catch it. Only
  // that case runs (the same YAML, filtered) to keep the suite quick.
  const mutations: [string, string, string, string, string][] = [
    [
      'the fast-burn factor loosened to 20×',
      'job:activity_error:ratio_rate1h > (14.4 * 0.02)',
      'job:activity_error:ratio_rate1h > (20 * 0.02)',
      'slo-burn.test.yml',
      'a one-hour 35 % burst',
    ],
    [
      'the 5m short window dropped from the fast burn',
      'job:activity_error:ratio_rate5m > (14.4 * 0.02)',
      'job:activity_error:ratio_rate1h > (14.4 * 0.02)',
      'slo-burn.test.yml',
      'a 20-minute outage',
    ],
    [
      'the slow burn 1× branch loosened to 3×',
      'job:activity_error:ratio_rate3d > 0.02',
      'job:activity_error:ratio_rate3d > 0.06',
      'slo-burn.test.yml',
      'a steady 5 %',
    ],
    ['the latency threshold raised to 10 s', 'p95_rate5m > 5', 'p95_rate5m > 10', 'alerts.test.yml', 'BatchLatencyP95High fires'],
    [
      'the lock timeout ratio taken over acquisitions only',
      'job:lock_timeouts:rate5m / (job:lock_acquisitions:rate5m + job:lock_timeouts:rate5m)',
      'job:lock_timeouts:rate5m / job:lock_acquisitions:rate5m',
      'slis.test.yml',
      'ratios, percentiles',
    ],
    [
      'the missing-counter fallback removed',
      'sum by (job) (rate(batch_failed_total[5m])) or sum by (job) (rate(batch_completed_total[5m])) * 0',
      'sum by (job) (rate(batch_failed_total[5m]))',
      'slis.test.yml',
      'ratios, percentiles',
    ],
    [
      'the shared queue backlog summed over the processes that report it',
      'max by (job, queue) (sum by (job, instance, queue) (bullmq_queue_jobs',
      'sum by (job, queue) (sum by (job, instance, queue) (bullmq_queue_jobs',
      'instances.test.yml',
      'two workers add up',
    ],
    [
      'the backlog alert fed by the summed shared queue',
      'max by (job, queue) (sum by (job, instance, queue) (bullmq_queue_jobs',
      'sum by (job, queue) (sum by (job, instance, queue) (bullmq_queue_jobs',
      'instances.test.yml',
      'QueueBacklogGrowing counts',
    ],
    [
      'the queue gauges by state summed over processes',
      'max by (job, queue, state) (bullmq_queue_jobs)',
      'sum by (job, queue, state) (bullmq_queue_jobs)',
      'instances.test.yml',
      'two workers add up',
    ],
    [
      'the oldest-waiting age summed over processes',
      'max by (job, queue) (bullmq_queue_oldest_waiting_age_seconds)',
      'sum by (job, queue) (bullmq_queue_oldest_waiting_age_seconds)',
      'instances.test.yml',
      'two workers add up',
    ],
    [
      'completions kept per instance instead of summed by job',
      'sum by (job) (rate(batch_completed_total[5m])) or',
      'sum by (job, instance) (rate(batch_completed_total[5m])) or',
      'instances.test.yml',
      'two workers add up',
    ],
    [
      'the in-memory queues of replicas taken with max',
      '"})))\n          or\n          sum by (job) (queue_size)',
      '"})))\n          or\n          max by (job) (queue_size)',
      'instances.test.yml',
      'two single-process replicas',
    ],
    [
      'the failure-ratio anomaly threshold loosened to 6 standard deviations',
      '{signal="failure_ratio"} > 3',
      '{signal="failure_ratio"} > 6',
      'anomalies.test.yml',
      'a step from 1 %',
    ],
    [
      'the z-score floor raised to 0.05',
      '0.1 * abs(job:batch_signal:avg1d),\n            0.01',
      '0.1 * abs(job:batch_signal:avg1d),\n            0.05',
      'anomalies.test.yml',
      'a step from 1 %',
    ],
    [
      'the baseline window shortened to an hour',
      'stddev_over_time(job:batch_signal:rate5m[1d])',
      'stddev_over_time(job:batch_signal:rate5m[1h])',
      'anomalies.test.yml',
      'a step from 1 %',
    ],
    [
      "the duration anomaly's for: window loosened to 30 minutes",
      'job:batch_signal:rate5m{signal="throughput"} * 300 >= 10\n        for: 10m',
      'job:batch_signal:rate5m{signal="throughput"} * 300 >= 10\n        for: 30m',
      'anomalies.test.yml',
      'a step of the p95',
    ],
    [
      'the minimum-traffic guard dropped from the failure-ratio anomaly',
      '{signal="failure_ratio"} > 3\n          and on (job)\n          job:batch_signal:rate5m{signal="throughput"} * 300 >= 10',
      '{signal="failure_ratio"} > 3',
      'anomalies.test.yml',
      "a quiet server's",
    ],
    [
      "Little's law without the target utilisation",
      'job:batch_processing_duration_seconds:mean_rate5m / 0.7\n',
      'job:batch_processing_duration_seconds:mean_rate5m / 1\n',
      'capacity.test.yml',
      'a load ramp',
    ],
    [
      'the queue gauges summed over the processes instead of max',
      'max by (job, queue) (sum by (job, instance, queue) (bullmq_queue_jobs',
      'sum by (job, queue) (sum by (job, instance, queue) (bullmq_queue_jobs',
      'capacity.test.yml',
      'a growing backlog',
    ],
    [
      'the forecast regression window loosened to 30 minutes',
      'predict_linear(job:batch_queue_oldest_wait_seconds:max[10m], 900)',
      'predict_linear(job:batch_queue_oldest_wait_seconds:max[30m], 900)',
      'capacity.test.yml',
      'a growing backlog',
    ],
    [
      'the forecast horizon shortened to 5 minutes',
      'predict_linear(job:batch_queue_oldest_wait_seconds:max[10m], 900)',
      'predict_linear(job:batch_queue_oldest_wait_seconds:max[10m], 300)',
      'capacity.test.yml',
      'a growing backlog',
    ],
    [
      'the queue-wait objective loosened to 20 minutes',
      'job:batch_queue_wait_seconds:forecast15m > 600',
      'job:batch_queue_wait_seconds:forecast15m > 1200',
      'capacity.test.yml',
      'without BullMQ gauges',
    ],
  ];

  it.each(mutations)(
    'promtool test rules fails when %s',
    (_name, from, to, testFile, testName) => {
      const dir = mkdtempSync(join(scratch, 'm-'));
      cpSync(prometheusDir, dir, { recursive: true });
      const file = ruleFiles.map((f) => `rules/${f}`).find((f) => readFileSync(join(dir, f), 'utf8').includes(from));
      expect(file, `mutation source not found: ${from}`).toBeDefined();
      writeFileSync(join(dir, file!), readFileSync(join(dir, file!), 'utf8').replace(from, to));

      const suite = readYaml<UnitTestFile>(join(testsDir, testFile));
      suite.tests = suite.tests.filter((t) => t.name.startsWith(testName));
      expect(suite.tests).toHaveLength(1);
      const suiteYaml = stringify(suite);
      writeFileSync(join(dir, 'tests', 'mutation.test.yml'), suiteYaml);

      // The unmutated rules pass this case; the mutated ones must not.
      const control = controlRun(testFile, testName, suiteYaml);
      expect(control.exitCode, control.output).toBe(0);
      const run = promtool(['test', 'rules', join('tests', 'mutation.test.yml')], dir);
      expect(run.exitCode, run.output).not.toBe(0);
      expect(run.output).toContain('FAILED');
      // Up to two promtool runs; an anomaly case replays a day of five-minute evaluations (~2 s
      // each, more on a loaded machine).
    },
    180_000,
  );

  // Several mutations share a case: its control run (the same one-case suite on pristine rules)
  // happens once.
  const controls = new Map<string, PromtoolRun>();

  /** Runs the one-case suite `suiteYaml` against a pristine copy of the rules, once per case. */
  function controlRun(testFile: string, testName: string, suiteYaml: string): PromtoolRun {
    const key = `${testFile}\0${testName}`;
    const known = controls.get(key);
    if (known) return known;
    const dir = mkdtempSync(join(scratch, 'control-'));
    cpSync(prometheusDir, dir, { recursive: true });
    writeFileSync(join(dir, 'tests', 'mutation.test.yml'), suiteYaml);
    const run = promtool(['test', 'rules', join('tests', 'mutation.test.yml')], dir);
    controls.set(key, run);
    return run;
  }
});

describe('the runbook', () => {
  const doc = readFileSync(operationsDoc, 'utf8');
  const headings = [...doc.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
    m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\w\- ]/g, '')
      .replace(/ /g, '-'),
  );

  it.each(alerts.map((a) => [a.alert!, a.annotations?.runbook_url ?? '']))(
    '%s links to its own section of docs/operations.md',
    (alert, runbookUrl) => {
      expect(runbookUrl).toBe(`docs/operations.md#${alert.toLowerCase()}`);
      expect(headings).toContain(alert.toLowerCase());
    },
  );
});
