// `pnpm --filter @ogf/ops-kit generate`: writes deploy/grafana/dashboards/batch-overview.json and
// deploy/kubernetes/prometheusrule.yaml.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { buildDashboard } from './dashboard.ts';
import { dashboardFile, prometheusRuleFile, repoRoot } from './paths.ts';
import { renderPrometheusRule } from './prometheus-rule.ts';

/** The dashboard exactly as it is committed: two-space JSON with a final newline. */
export function renderDashboard(): string {
  return `${JSON.stringify(buildDashboard(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  mkdirSync(dirname(dashboardFile), { recursive: true });
  writeFileSync(dashboardFile, renderDashboard());
  writeFileSync(prometheusRuleFile, renderPrometheusRule());
  for (const file of [dashboardFile, prometheusRuleFile]) process.stdout.write(`wrote ${relative(repoRoot, file)}\n`);
}
