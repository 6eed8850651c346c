// `pnpm --filter @ogf/ops-kit generate`: writes deploy/grafana/dashboards/batch-overview.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { buildDashboard } from './dashboard.ts';
import { dashboardFile, repoRoot } from './paths.ts';

/** The dashboard exactly as it is committed: two-space JSON with a final newline. */
export function renderDashboard(): string {
  return `${JSON.stringify(buildDashboard(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  mkdirSync(dirname(dashboardFile), { recursive: true });
  writeFileSync(dashboardFile, renderDashboard());
  process.stdout.write(`wrote ${relative(repoRoot, dashboardFile)}\n`);
}
