import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createHealthChecker } from './index.js';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

async function gaugePoints(reader: TestReader): Promise<Record<string, number>> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const points: Record<string, number> = {};
  for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
    if (metric.descriptor.name !== 'health.check.status') continue;
    expect(metric.descriptor.unit).toBe('');
    for (const point of metric.dataPoints) points[String(point.attributes.check)] = point.value as number;
  }
  return points;
}

describe('the status gauge', () => {
  it('belongs to the scope @ogf/health unless told otherwise', async () => {
    const reader = new TestReader();
    const health = createHealthChecker({ meterProvider: new MeterProvider({ readers: [reader] }), cacheTtlMs: 0 });
    health.register('database', () => ({ status: 'healthy' }));
    await health.ready();
    const { resourceMetrics } = await reader.collect();
    expect(resourceMetrics.scopeMetrics.map((scope) => scope.scope.name)).toEqual(['@ogf/health']);
  });

  it('exports health.check.status per check: 1 healthy, 0.5 degraded, 0 unhealthy', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const health = createHealthChecker({ meterProvider: provider, scopeName: 'health-test', cacheTtlMs: 0 });
    let cache: 'healthy' | 'unhealthy' = 'healthy';
    health.register('database', () => ({ status: 'healthy' }));
    health.register('queue', () => ({ status: 'degraded' }));
    health.register('cache', () => ({ status: cache }), { critical: false });
    health.register('never_run', () => ({ status: 'healthy' }), { probes: ['liveness'] });

    // Nothing has run yet: nothing to report (collection itself never runs checks).
    expect(await gaugePoints(reader)).toEqual({});
    await health.ready();
    expect(await gaugePoints(reader)).toEqual({ database: 1, queue: 0.5, cache: 1 });
    cache = 'unhealthy';
    await health.ready();
    expect(await gaugePoints(reader)).toEqual({ database: 1, queue: 0.5, cache: 0 });
    await provider.shutdown();
  });
});
