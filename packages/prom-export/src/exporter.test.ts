import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { family, scrape, setup, withoutScope } from '../test/checks.js';
import { PrometheusExporter } from './exporter.js';
import { isOgfError } from './errors.js';

describe('PrometheusExporter rendering', () => {
  it('renders counters, up-down counters, gauges and histograms under their Prometheus names', async () => {
    const { provider, exporter } = setup();
    const meter = provider.getMeter('offgridflow', '1.2.3');
    meter.createCounter('batch.submitted', { description: 'Batches submitted.' }).add(3);
    meter.createUpDownCounter('queue.size', { unit: '{batch}' }).add(-2);
    meter.createGauge('cpu.usage', { unit: '1' }).record(0.25);
    meter.createCounter('emissions', { unit: 'kg' }); // no points yet: no family
    meter
      .createHistogram('batch.processing.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1, 10] } })
      .record(0.5, { success: true });

    const { text, textFamilies, omFamilies } = await scrape(exporter);
    expect(text).toContain('# TYPE batch_submitted_total counter\n');
    expect(text).toContain('batch_submitted_total{otel_scope_name="offgridflow",otel_scope_version="1.2.3"} 3\n');
    expect(text).toContain('queue_size{otel_scope_name="offgridflow",otel_scope_version="1.2.3"} -2\n');
    expect(text).toContain('cpu_usage_ratio{otel_scope_name="offgridflow",otel_scope_version="1.2.3"} 0.25\n');
    expect(text).not.toContain('emissions');
    expect(textFamilies.map((f) => [f.name, f.type])).toEqual([
      ['target_info', 'gauge'],
      ['batch_processing_duration_seconds', 'histogram'],
      ['batch_submitted', 'counter'],
      ['cpu_usage_ratio', 'gauge'],
      ['queue_size', 'gauge'],
    ]);
    expect(omFamilies.map((f) => [f.name, f.type, f.unit])).toEqual([
      ['target', 'info', ''],
      ['batch_processing_duration_seconds', 'histogram', 'seconds'],
      ['batch_submitted', 'counter', ''],
      ['cpu_usage_ratio', 'gauge', 'ratio'],
      ['queue_size', 'gauge', ''],
    ]);
    expect(family(omFamilies, 'batch_submitted').help).toBe('Batches submitted.');
    // Without a description, HELP names the OTel instrument (promtool wants a HELP text).
    expect(family(omFamilies, 'queue_size').help).toBe('queue.size');
  });

  it('writes histograms as cumulative buckets ending in +Inf, with _sum, _count and OpenMetrics _created', async () => {
    const { provider, exporter } = setup();
    const histogram = provider.getMeter('m').createHistogram('lock.wait.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.01, 0.1, 1] },
    });
    for (const value of [0.005, 0.05, 0.05, 0.5, 5]) histogram.record(value, { lock: 'org' });
    const { textFamilies, omFamilies } = await scrape(exporter);
    const samples = family(textFamilies, 'lock_wait_duration_seconds').samples.map((s) => [s.name, s.labels.le ?? '', s.value]);
    expect(samples).toEqual([
      ['lock_wait_duration_seconds_bucket', '0.01', '1.0'],
      ['lock_wait_duration_seconds_bucket', '0.1', '3.0'],
      ['lock_wait_duration_seconds_bucket', '1', '4.0'],
      ['lock_wait_duration_seconds_bucket', '+Inf', '5.0'],
      ['lock_wait_duration_seconds_sum', '', '5.605'],
      ['lock_wait_duration_seconds_count', '', '5.0'],
    ]);
    const om = family(omFamilies, 'lock_wait_duration_seconds').samples.map((s) => s.name);
    expect(om.slice(-3)).toEqual([
      'lock_wait_duration_seconds_sum',
      'lock_wait_duration_seconds_count',
      'lock_wait_duration_seconds_created',
    ]);
  });

  it('gives OpenMetrics counters a family name without _total, samples with it, and a # UNIT line', async () => {
    const { provider, exporter } = setup({ openMetricsCreated: false });
    provider.getMeter('m').createCounter('cpu.time', { unit: 's' }).add(1.5);
    const { om, omFamilies } = await scrape(exporter);
    expect(om).toContain('# TYPE cpu_time_seconds counter\n# UNIT cpu_time_seconds seconds\ncpu_time_seconds_total{');
    expect(om).not.toContain('_created');
    expect(family(omFamilies, 'cpu_time_seconds').samples.map((s) => [s.name, s.value])).toEqual([['cpu_time_seconds_total', '1.5']]);
  });

  it('writes target_info from the resource, and nothing when told not to', async () => {
    const resource = resourceFromAttributes({ 'service.name': 'batch-server', 'k8s.pod-name': 'p-1', 'service.version': '2.0' });
    const exporter = new PrometheusExporter();
    const provider = new MeterProvider({ readers: [exporter], resource });
    provider.getMeter('m').createCounter('c').add(1);
    const { textFamilies, omFamilies } = await scrape(exporter);
    expect(family(textFamilies, 'target_info').samples[0]?.labels).toMatchObject({
      service_name: 'batch-server',
      k8s_pod_name: 'p-1',
      service_version: '2.0',
    });
    expect(family(omFamilies, 'target').samples.map((s) => [s.name, s.value])).toEqual([['target_info', '1']]);

    const bare = new PrometheusExporter({ withoutTargetInfo: true, withoutScopeLabels: true });
    const other = new MeterProvider({ readers: [bare], resource });
    other.getMeter('m').createCounter('c').add(1);
    const plain = await scrape(bare);
    expect(plain.text).toBe('# HELP c_total c\n# TYPE c_total counter\nc_total 1\n');
  });

  it('merges attribute keys that collide after sanitising, joining values with ; in the order of the original keys', async () => {
    const { provider, exporter } = setup();
    provider.getMeter('m').createCounter('c').add(1, { 'a.b': 'dot', a_b: 'underscore', 'a-b': 'dash', z: 1, ok: true });
    const { textFamilies, omFamilies } = await scrape(exporter);
    const expected = { a_b: 'dash;dot;underscore', ok: 'true', z: '1' };
    expect(withoutScope(family(textFamilies, 'c').samples[0]!.labels)).toEqual(expected);
    expect(withoutScope(family(omFamilies, 'c').samples[0]!.labels)).toEqual(expected);
  });

  it('renames user labels that would duplicate le, quantile or the scope labels', async () => {
    const { provider, exporter } = setup();
    const meter = provider.getMeter('scope-a', '1');
    meter.createHistogram('h', { advice: { explicitBucketBoundaries: [1] } }).record(0.5, { le: 'mine', 'otel.scope.name': 'fake' });
    meter.createCounter('c').add(1, { quantile: '0.5', le: 'x' });
    const { textFamilies } = await scrape(exporter);
    expect(family(textFamilies, 'h').samples[0]?.labels).toEqual({
      exported_le: 'mine',
      exported_otel_scope_name: 'fake',
      otel_scope_name: 'scope-a',
      otel_scope_version: '1',
      le: '1',
    });
    expect(withoutScope(family(textFamilies, 'c').samples[0]!.labels)).toEqual({ exported_le: 'x', exported_quantile: '0.5' });
  });

  it('drops the later of two series whose labels become identical, and reports it', async () => {
    const { provider, exporter, reports } = setup();
    const counter = provider.getMeter('m').createCounter('c');
    counter.add(1, { code: 200 });
    counter.add(2, { code: '200' });
    const { textFamilies } = await scrape(exporter);
    expect(family(textFamilies, 'c').samples.map((s) => s.value)).toEqual(['1.0']);
    expect(reports.map((r) => r.code)).toEqual(['ERR_OGF_DUPLICATE_SERIES']);
  });

  it('drops the later metric of a type conflict and reports it once across scrapes', async () => {
    const { provider, exporter, reports } = setup();
    provider.getMeter('a').createCounter('jobs').add(1);
    provider
      .getMeter('b')
      .createHistogram('jobs', { advice: { explicitBucketBoundaries: [1] } })
      .record(1);
    provider.getMeter('c').createUpDownCounter('jobs_total').add(5);
    const first = await scrape(exporter);
    await scrape(exporter);
    expect(first.textFamilies.map((f) => f.name)).toEqual(['target_info', 'jobs']);
    expect(reports.map((r) => [r.code, isOgfError(r)])).toEqual([
      ['ERR_OGF_TYPE_CONFLICT', true],
      ['ERR_OGF_NAME_CLASH', true],
    ]);
    expect(reports[0]?.message).toMatch(/"jobs".*histogram.*already counter/);
  });

  it('merges one metric from two scopes into one family, told apart by the scope labels', async () => {
    const { provider, exporter } = setup();
    provider.getMeter('zeta').createCounter('requests', { description: 'first' }).add(2);
    provider.getMeter('alpha').createCounter('requests', { description: 'second' }).add(1);
    const { textFamilies } = await scrape(exporter);
    const requests = family(textFamilies, 'requests');
    expect(requests.help).toBe('second');
    expect(requests.samples.map((s) => [s.labels.otel_scope_name, s.value])).toEqual([
      ['alpha', '1.0'],
      ['zeta', '2.0'],
    ]);
  });

  it('keeps the output order whatever order instruments were created and recorded in', async () => {
    const render = async (reverse: boolean): Promise<string> => {
      const exporter = new PrometheusExporter({ withoutTargetInfo: true });
      const provider = new MeterProvider({ readers: [exporter] });
      const names = ['b.two', 'a.one', 'c.three'];
      for (const name of reverse ? [...names].reverse() : names) {
        provider
          .getMeter(reverse ? 's2' : 's1')
          .createCounter(name)
          .add(1);
        provider
          .getMeter(reverse ? 's1' : 's2')
          .createCounter(name)
          .add(1);
      }
      return (await exporter.render()).body;
    };
    const [forward, backward] = [await render(false), await render(true)];
    expect(backward).toBe(forward);
    expect([...forward.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1])).toEqual(['a_one_total', 'b_two_total', 'c_three_total']);
  });

  it('escapes HELP per format and label values in both, so no input can forge a line', async () => {
    const { provider, exporter } = setup();
    const nasty = 'say "hi" \\ back\nforged_total{a="1"} 1';
    provider.getMeter('m').createCounter('c', { description: nasty }).add(1, { v: `"} 1\nforged_total{a="`, w: 'a\\nb' });
    const { text, om, textFamilies, omFamilies } = await scrape(exporter);
    expect(text).toContain('# HELP c_total say "hi" \\\\ back\\nforged_total{a="1"} 1\n');
    expect(om).toContain('# HELP c say \\"hi\\" \\\\ back\\nforged_total{a=\\"1\\"} 1\n');
    for (const families of [textFamilies, omFamilies]) {
      expect(families.map((f) => f.name)).not.toContain('forged');
      expect(family(families, 'c').help).toBe(nasty);
      expect(withoutScope(family(families, 'c').samples[0]!.labels)).toEqual({ v: `"} 1\nforged_total{a="`, w: 'a\\nb' });
    }
  });

  it('drops exponential histograms and reports them', async () => {
    const exporter = new PrometheusExporter({ onError: (error) => reports.push(error.code) });
    const reports: string[] = [];
    const provider = new MeterProvider({
      readers: [exporter],
      views: [{ instrumentName: 'latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    provider.getMeter('m').createHistogram('latency').record(1);
    provider.getMeter('m').createCounter('kept').add(1);
    const { textFamilies } = await scrape(exporter);
    expect(textFamilies.map((f) => f.name)).toEqual(['target_info', 'kept']);
    expect(reports).toEqual(['ERR_OGF_UNSUPPORTED_DATA']);
  });
});

describe('PrometheusExporter misuse', () => {
  it('refuses options it cannot use, saying what it expected', () => {
    expect(() => new PrometheusExporter({ cardinalityLimit: 0 })).toThrow(/cardinalityLimit must be a positive integer/);
    expect(() => new PrometheusExporter({ sliceMs: -1 })).toThrow(/sliceMs must be a positive number/);
    expect(() => new PrometheusExporter({ registries: [{} as never] })).toThrow(/not a prom-client registry/);
  });

  it('explains that an exporter must be given to a MeterProvider before it can render', async () => {
    const error: unknown = await new PrometheusExporter().render().catch((e: unknown) => e);
    expect(isOgfError(error) && error.code).toBe('ERR_OGF_COLLECT_FAILED');
    expect((error as Error).message).toMatch(/MeterProvider in `readers`/);
  });
});
