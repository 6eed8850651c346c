import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC_CATALOG } from '@ogf/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildDashboard } from '../src/dashboard.ts';
import { renderDashboard } from '../src/generate.ts';
import { expandVariables, panelQueries } from '../src/panel-queries.ts';
import { dashboardFile, prometheusDir } from '../src/paths.ts';
import { promtool, promtoolFindings } from '../src/promtool.ts';
import { catalogMetric, counterRate, histogramQuantile } from '../src/promql.ts';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: { expr: string; refId: string; exemplar?: boolean; datasource?: { uid: string } }[];
}

const committed = readFileSync(dashboardFile, 'utf8');
const dashboard = JSON.parse(committed) as { uid: string; panels: Panel[]; templating: { list: { name: string }[] } };
const queries = panelQueries(dashboard);

describe('the generated Grafana dashboard', () => {
  it('is committed exactly as the generator writes it (run `pnpm --filter @ogf/ops-kit generate`)', () => {
    expect(committed).toBe(renderDashboard());
  });

  it("has the seed's five sections, in order, then capacity and anomalies", () => {
    expect(dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'Batch overview',
      'Worker pool utilisation',
      'Error rates and types',
      'Emissions tracking',
      'Latency percentiles',
      'Capacity and anomalies',
    ]);
  });

  it('charts every metric of the @ogf/metrics catalog', () => {
    const text = queries.map((q) => q.expr).join('\n');
    const missing = METRIC_CATALOG.filter((m) => !new RegExp(`\\b${m.prometheusName}(_bucket|_sum|_count)?\\{`).test(text));
    expect(missing.map((m) => m.prometheusName)).toEqual([]);
  });

  it('reads only recorded series that the rule files record, and every catalog metric it names exists', () => {
    const rulesDir = join(prometheusDir, 'rules');
    const recorded = new Set(
      readdirSync(rulesDir)
        .filter((f) => f.endsWith('.yml'))
        .flatMap((f) => (parse(readFileSync(join(rulesDir, f), 'utf8')) as { groups: { rules: { record?: string }[] }[] }).groups)
        .flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))),
    );
    const used = [...new Set(queries.flatMap((q) => q.expr.match(/\b[a-z_]+:[a-z_0-9]+:[a-z_0-9]+\b/g) ?? []))];
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((series) => !recorded.has(series))).toEqual([]);
    const catalog = new Set<string>(METRIC_CATALOG.map((m) => m.prometheusName));
    const plain = queries.flatMap((q) => [...q.expr.matchAll(/(?<![:\w])([a-z_]+?)(?:_bucket|_sum|_count)?\{/g)].map((m) => m[1]!));
    expect(plain.length).toBeGreaterThan(20);
    expect(plain.filter((name) => !catalog.has(name) && !catalog.has(name.replace(/_(bucket|sum|count)$/, '')))).toEqual([]);
  });

  it('has a capacity and anomalies row: z-scores with their ±3 lines, bands, workers needed vs running, the backlog forecast', () => {
    const row = dashboard.panels.findIndex((p) => p.type === 'row' && p.title === 'Capacity and anomalies');
    const text = dashboard.panels
      .slice(row + 1)
      .flatMap((p) => p.targets ?? [])
      .map((t) => t.expr)
      .join('\n');
    for (const series of [
      'job:batch_signal:zscore1d',
      'vector(3)',
      'vector(-3)',
      '3 * job:batch_signal:spread1d',
      'job:workers_needed:rate5m',
      'job:workers_needed:forecast15m',
      'workers_capacity{',
      'job:batch_queue_waiting:predict_linear15m',
      'job:batch_queue_wait_seconds:forecast15m',
    ]) {
      expect(text).toContain(series);
    }
  });

  it('shows p50, p95 and p99 of batch and activity processing time', () => {
    const latencyExprs = queries.map((q) => q.expr);
    for (const name of ['batch.processing.duration', 'activity.duration'] as const) {
      for (const q of [0.5, 0.95, 0.99]) expect(latencyExprs).toContain(histogramQuantile(name, q));
    }
  });

  it('shows exemplars on every histogram query (the dots that open a batch trace), and only there', () => {
    const targets = dashboard.panels.flatMap((p) => p.targets ?? []);
    const histogramTargets = targets.filter((t) => t.expr.includes('_bucket{'));
    expect(histogramTargets.length).toBeGreaterThanOrEqual(6);
    expect(histogramTargets.filter((t) => t.exemplar !== true).map((t) => t.expr)).toEqual([]);
    expect(targets.filter((t) => t.exemplar === true && !t.expr.includes('_bucket{')).map((t) => t.expr)).toEqual([]);
    expect(histogramTargets.map((t) => t.expr)).toContain(histogramQuantile('batch.processing.duration', 0.95));
  });

  it('sends every query to the data source variable and filters it by the job variable', () => {
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'job']);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.datasource?.uid).toBe('${datasource}');
        const selectors = target.expr.match(/[a-z_]+\{[^}]*\}/g) ?? [];
        for (const selector of selectors) expect(selector, `${panel.title}: ${target.expr}`).toContain('job=~"$job"');
      }
    }
  });

  it('lays panels out on the 24-column grid with unique ids and no overlap', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { title, gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  describe('PromQL', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'ogf-dashboard-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('every query parses (promtool check rules on the expanded expressions)', () => {
      const rules = queries.map((q, index) => ({
        record: `dashboard:query_${index}`,
        expr: expandVariables(q.expr, { job: '.+', rateInterval: '1m', range: '5m' }),
      }));
      const file = join(scratch, 'queries.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      const run = promtool(['check', 'rules', file]);
      expect({ exitCode: run.exitCode, findings: promtoolFindings(run.output) }, run.output).toEqual({ exitCode: 0, findings: [] });
    });

    it('a broken query would be caught by the same check', () => {
      const file = join(scratch, 'broken.yml');
      writeFileSync(
        file,
        stringify({ groups: [{ name: 'dashboard', rules: [{ record: 'x:y', expr: 'sum(rate(batch_submitted_total[1m])' }] }] }),
      );
      expect(promtool(['check', 'rules', file]).exitCode).not.toBe(0);
    });
  });
});

describe('the catalog-driven query helpers', () => {
  it('refuse a metric of the wrong kind', () => {
    expect(() => histogramQuantile('batch.submitted', 0.5)).toThrow(/counter; this query needs a histogram/);
    expect(() => counterRate('activity.duration')).toThrow(/histogram; this query needs a counter/);
  });

  it('take the Prometheus name from the catalog', () => {
    expect(catalogMetric('emissions', ['counter']).prometheusName).toBe('emissions_grams_total');
    expect(counterRate('lock.timeouts', ['lock'])).toBe('sum by (lock) (rate(lock_timeouts_total{job=~"$job"}[$__rate_interval]))');
  });

  it('build the same dashboard twice in a row', () => {
    expect(JSON.stringify(buildDashboard())).toBe(JSON.stringify(buildDashboard()));
  });
});
