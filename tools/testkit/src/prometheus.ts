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
// skips cannot fail. Prometheus is given a port that was free a moment ago; if another process took
// it before Prometheus bound it ("address already in use"), the start is tried again on a new port,
// at most 3 times (port-retry.ts); any other failure (a bad flag, a bad config) fails at once with
// what Prometheus printed. It counts as started once /-/ready answers from a server whose storage
// is ours, not another Prometheus that holds the port.
import { launchPrometheus, type PrometheusOptions, type PrometheusServer } from './prometheus-server.ts';

export type { PromExemplars, PromSample, PromSeries, PromTarget } from './prometheus-api.ts';
export type { PrometheusOptions, PrometheusServer } from './prometheus-server.ts';

/**
 * Starts Prometheus scraping `options.targets` and waits until it is ready to answer queries.
 *
 * @example
 * ```ts
 * const prom = await startPrometheus({ targets: ['127.0.0.1:8080'] });
 * await prom.waitForTargetsUp();
 * await prom.stop();
 * ```
 */
export function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  return launchPrometheus(options);
}
