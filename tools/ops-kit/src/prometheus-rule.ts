// deploy/kubernetes/prometheusrule.yaml: the rule files of deploy/prometheus/rules wrapped in a
// Prometheus Operator PrometheusRule, so a cluster gets exactly the rules the unit tests cover.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { prometheusDir } from './paths.ts';

/** The rule files, in the order prometheus.yml loads them. */
export const RULE_FILES: readonly string[] = ['slis.yml', 'alerts.yml', 'anomalies.yml', 'capacity.yml'];

/**
 * The PrometheusRule manifest as committed.
 *
 * @example
 * ```ts
 * writeFileSync('deploy/kubernetes/prometheusrule.yaml', renderPrometheusRule());
 * ```
 */
export function renderPrometheusRule(): string {
  const groups = RULE_FILES.flatMap(
    (file) => (parse(readFileSync(join(prometheusDir, 'rules', file), 'utf8')) as { groups: unknown[] }).groups,
  );
  const manifest = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'batch-server',
      labels: { 'app.kubernetes.io/name': 'batch-server', 'app.kubernetes.io/part-of': 'ogf' },
    },
    spec: { groups },
  };
  const header = [
    '# GENERATED from deploy/prometheus/rules/*.yml by `npx -y pnpm@10.34.8 --filter @ogf/ops-kit generate`;',
    '# edit the rule files (and their promtool tests), not this file.',
  ].join('\n');
  return `${header}\n${stringify(manifest, { lineWidth: 0 })}`;
}
