import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createNodeMetricsRegistry } from '@ogf/prom-export/node';
import { family, scrape, setup } from '../test/checks.js';
import { PrometheusExporter } from './exporter.js';
import { isOgfError } from './errors.js';

function appRegistry(): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'legacy' });
  new Counter({ name: 'legacy_jobs_total', help: 'Jobs "done".', labelNames: ['queue'], registers: [registry] }).inc({ queue: 'a\nb' }, 3);
  new Gauge({ name: 'legacy_depth', help: 'Depth.', registers: [registry] }).set(7);
  const histogram = new Histogram({ name: 'legacy_wait_seconds', help: 'Wait.', buckets: [0.1, 1], registers: [registry] });
  histogram.observe(0.05);
  histogram.observe(2);
  new Summary({ name: 'legacy_size_bytes', help: 'Size.', percentiles: [0.5], registers: [registry] }).observe(10);
  return registry;
}

describe('merging prom-client registries', () => {
  it('puts prom-client families after the OTel ones, in both formats', async () => {
    const { provider, exporter } = setup({ registries: [appRegistry()] });
    provider.getMeter('m').createCounter('otel.jobs').add(1);
    const { textFamilies, omFamilies } = await scrape(exporter);
    expect(textFamilies.map((f) => [f.name, f.type])).toEqual([
      ['target_info', 'gauge'],
      ['otel_jobs', 'counter'],
      ['legacy_jobs', 'counter'],
      ['legacy_depth', 'gauge'],
      ['legacy_wait_seconds', 'histogram'],
      ['legacy_size_bytes', 'summary'],
    ]);
    expect(family(omFamilies, 'legacy_jobs').samples).toEqual([
      { name: 'legacy_jobs_total', labels: { queue: 'a\nb', app: 'legacy' }, value: '3', timestamp: null, exemplar: null },
    ]);
    expect(family(omFamilies, 'legacy_jobs').help).toBe('Jobs "done".');
    expect(family(omFamilies, 'legacy_wait_seconds').samples.map((s) => [s.name, s.labels.le, s.value])).toEqual([
      ['legacy_wait_seconds_bucket', '0.1', '1'],
      ['legacy_wait_seconds_bucket', '1', '1'],
      ['legacy_wait_seconds_bucket', '+Inf', '2'],
      ['legacy_wait_seconds_sum', undefined, '2.05'],
      ['legacy_wait_seconds_count', undefined, '2'],
    ]);
  });

  it('gives an OpenMetrics counter sample _total even when the prom-client name lacks it', async () => {
    const registry = new Registry();
    new Counter({ name: 'legacy_events_total', help: 'Events.', registers: [registry] }).inc();
    const { exporter } = setup({ registries: [registry], withoutTargetInfo: true });
    const { text, om } = await scrape(exporter);
    expect(text).toBe('# HELP legacy_events_total Events.\n# TYPE legacy_events_total counter\nlegacy_events_total 1\n');
    expect(om).toBe('# HELP legacy_events Events.\n# TYPE legacy_events counter\nlegacy_events_total 1\n# EOF\n');
  });

  it('refuses, when rendering, a prom-client family whose name an OTel metric already has', async () => {
    const registry = new Registry();
    new Counter({ name: 'jobs_total', help: 'Jobs.', registers: [registry] }).inc();
    const { provider, exporter, reports } = setup({ registries: [registry] });
    provider.getMeter('m').createCounter('jobs').add(1);
    const error: unknown = await exporter.render().catch((e: unknown) => e);
    expect(isOgfError(error) && error.code).toBe('ERR_OGF_DUPLICATE_FAMILY');
    expect((error as Error).message).toMatch(/prom-client metric "jobs_total" clashes .* "jobs"/);
    const response = await exporter.handler(new Request('http://localhost/metrics'));
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/jobs_total/);
    expect(reports.map((r) => r.code)).toEqual(['ERR_OGF_RENDER_FAILED']);
  });

  it('refuses, when constructed, two registries that register the same family', () => {
    const [one, two] = [new Registry(), new Registry()];
    new Gauge({ name: 'depth', help: 'd', registers: [one] });
    new Gauge({ name: 'depth', help: 'd', registers: [two] });
    expect(() => new PrometheusExporter({ registries: [one, two] })).toThrow(
      /"depth" is registered in registries\[0\] and registries\[1\]/,
    );
    expect(() => new PrometheusExporter({ registries: [one, one] })).toThrow(/given twice/);
  });

  it('refuses a clash that only appears later, when it is first seen at render time', async () => {
    const [one, two] = [new Registry(), new Registry()];
    const { exporter } = setup({ registries: [one, two] });
    new Gauge({ name: 'late', help: 'l', registers: [one] }).set(1);
    expect((await exporter.render()).body).toContain('late 1\n');
    new Gauge({ name: 'late', help: 'l', registers: [two] }).set(2);
    await expect(exporter.render()).rejects.toThrow(/"late" clashes/);
  });
});

describe('@ogf/prom-export/node', () => {
  it('creates a registry with the Node process metrics that merges cleanly', async () => {
    const registry = createNodeMetricsRegistry({ labels: { pod: 'p-1' } });
    const { provider, exporter } = setup({ registries: [registry] });
    provider.getMeter('m').createCounter('batches').add(1);
    const { textFamilies, omFamilies } = await scrape(exporter);
    const names = textFamilies.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'batches',
        'process_cpu_seconds',
        'process_start_time_seconds',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_p99_seconds',
        'nodejs_version_info',
      ]),
    );
    // The `_total` gauges promtool rejects are left out; their per-type gauges remain.
    expect(names).not.toContain('nodejs_active_handles_total');
    expect(names).toContain('nodejs_active_handles');
    expect(family(omFamilies, 'nodejs_version_info').samples[0]?.labels.pod).toBe('p-1');
  });

  it('keeps the _total gauges when asked, and applies a prefix', async () => {
    const registry = createNodeMetricsRegistry({ prefix: 'app_', keepTotalGauges: true });
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain('app_nodejs_active_handles_total');
    expect(names.every((name) => name.startsWith('app_'))).toBe(true);
  });
});
