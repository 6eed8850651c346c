// The README's metric table, generated from METRIC_CATALOG. `pnpm --filter @ogf/metrics readme`
// rewrites the table between the markers; test/readme.test.ts fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { METRIC_CATALOG } from '../src/index.js';

export const START = '<!-- metric-table:start (generated from METRIC_CATALOG by scripts/catalog-table.ts) -->';
export const END = '<!-- metric-table:end -->';
export const README = join(import.meta.dirname, '..', 'README.md');
/** The repository's README shows the same table. */
export const ROOT_README = join(import.meta.dirname, '..', '..', '..', 'README.md');

const code = (text: string): string => `\`${text}\``;

function formatBuckets(buckets: readonly number[] | null): string {
  if (buckets === null) return '';
  return `${buckets[0]} … ${buckets[buckets.length - 1]} (${buckets.length})`;
}

/** The markdown table of the catalog, one row per metric. */
export function renderCatalogTable(): string {
  const header = [
    '| OTel name | kind | unit | Prometheus name | attributes | buckets | OffGridFlow (Go) name | description |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const rows = METRIC_CATALOG.map((d) =>
    [
      code(d.name),
      d.kind,
      d.unit === '' ? '' : code(d.unit),
      code(d.prometheusName),
      d.attributes.map(code).join(', '),
      formatBuckets(d.buckets),
      d.offGridFlowName === null ? '(new)' : code(d.offGridFlowName),
      d.description,
    ].join(' | '),
  ).map((row) => `| ${row} |`);
  return [...header, ...rows].join('\n');
}

/** The README with its table section replaced by the current one. */
export function withCurrentTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  return `${readme.slice(0, start + START.length)}\n${renderCatalogTable()}\n${readme.slice(end)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const file of [README, ROOT_README]) writeFileSync(file, withCurrentTable(readFileSync(file, 'utf8')));
  process.stdout.write('README.md metric tables updated\n');
}
