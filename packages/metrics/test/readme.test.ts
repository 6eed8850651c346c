import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_CATALOG } from '@ogf/metrics';
import { README, renderCatalogTable, ROOT_README, withCurrentTable } from '../scripts/catalog-table.js';

describe('the README', () => {
  it('carries the metric table generated from the catalog (run `pnpm readme` to refresh it)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toBe(withCurrentTable(readme));
    for (const definition of METRIC_CATALOG) expect(renderCatalogTable()).toContain(`\`${definition.prometheusName}\``);
  });

  it('and the repository README carries the same table', () => {
    const readme = readFileSync(ROOT_README, 'utf8');
    expect(readme).toBe(withCurrentTable(readme));
  });
});
