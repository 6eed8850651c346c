import { join } from 'node:path';

/** The repository root (tools/ops-kit/src → ../../..). */
export const repoRoot: string = join(import.meta.dirname, '..', '..', '..');

/** deploy/ at the repository root: everything an operator copies. */
export const deployDir: string = join(repoRoot, 'deploy');

export const prometheusDir: string = join(deployDir, 'prometheus');

export const grafanaDir: string = join(deployDir, 'grafana');

/** The committed, generated dashboard. */
export const dashboardFile: string = join(grafanaDir, 'dashboards', 'batch-overview.json');

export const operationsDoc: string = join(repoRoot, 'docs', 'operations.md');

/** The committed, generated PrometheusRule for the Prometheus Operator. */
export const prometheusRuleFile: string = join(deployDir, 'kubernetes', 'prometheusrule.yaml');
