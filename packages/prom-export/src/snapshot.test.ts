import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { setup } from '../test/checks.js';
import { PrometheusExporter } from './exporter.js';
import type { MetricsSnapshot } from '@ogf/core';

describe('exporter.snapshot()', () => {
  it('gives every metric as plain JSON in scope, then metric, order', async () => {
    const exporter = new PrometheusExporter();
    const provider = new MeterProvider({ readers: [exporter], resource: resourceFromAttributes({ 'service.name': 'svc' }) });
    const b = provider.getMeter('b-scope', '2.0');
    const a = provider.getMeter('a-scope');
    b.createCounter('zeta', { description: 'Z.' }).add(4, { kind: 'x' });
    b.createUpDownCounter('alpha', { unit: '{batch}' }).add(-1);
    a.createGauge('temperature', { unit: 'Cel' }).record(21.5);
    a.createHistogram('batch.latency', { unit: 's', advice: { explicitBucketBoundaries: [1, 10] } }).record(2);

    const snapshot: MetricsSnapshot = JSON.parse(JSON.stringify(await exporter.snapshot()));
    expect(snapshot.resource['service.name']).toBe('svc');
    expect(new Date(snapshot.timestamp).toISOString()).toBe(snapshot.timestamp);
    expect(snapshot.metrics.map((m) => [m.scope.name, m.name, m.type, m.prometheusName])).toEqual([
      ['a-scope', 'batch.latency', 'histogram', 'batch_latency_seconds'],
      ['a-scope', 'temperature', 'gauge', 'temperature_celsius'],
      ['b-scope', 'alpha', 'updowncounter', 'alpha'],
      ['b-scope', 'zeta', 'counter', 'zeta_total'],
    ]);
    const zeta = snapshot.metrics[3]!;
    expect(zeta).toMatchObject({ description: 'Z.', unit: '', scope: { name: 'b-scope', version: '2.0' } });
    expect(zeta.points).toHaveLength(1);
    expect(zeta.points[0]).toMatchObject({ attributes: { kind: 'x' }, value: 4 });
    expect(Date.parse(zeta.points[0]!.time)).not.toBeNaN();
    expect(Date.parse(zeta.points[0]!.startTime!)).not.toBeNaN();
    expect(snapshot.metrics[0]!.scope).toEqual({ name: 'a-scope' });
    expect(snapshot.metrics[0]!.points[0]!.histogram).toEqual({
      count: 1,
      sum: 2,
      min: 2,
      max: 2,
      buckets: [
        { le: 1, count: 0 },
        { le: 10, count: 1 },
        { le: '+Inf', count: 1 },
      ],
    });
  });

  it('spells non-finite values out, so the JSON never carries null for a number', async () => {
    const { provider, exporter } = setup();
    const meter = provider.getMeter('m');
    meter.createGauge('g').record(Number.NaN, { which: 'nan' });
    meter.createGauge('g').record(Number.POSITIVE_INFINITY, { which: 'inf' });
    meter.createGauge('g').record(Number.NEGATIVE_INFINITY, { which: '-inf' });
    const json = JSON.stringify(await exporter.snapshot());
    expect(json).not.toContain('null');
    const values = (JSON.parse(json) as MetricsSnapshot).metrics[0]!.points.map((p) => [p.attributes.which, p.value]);
    expect(values).toEqual([
      ['nan', 'NaN'],
      ['inf', '+Inf'],
      ['-inf', '-Inf'],
    ]);
  });
});
