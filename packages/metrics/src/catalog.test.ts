import { describe, expect, it } from 'vitest';
import { METRIC_CATALOG, metricDefinition } from '@ogf/metrics';

describe('METRIC_CATALOG', () => {
  it("holds all 25 of the seed's metrics under their seed names, without the .total suffix", () => {
    const seeded = METRIC_CATALOG.filter((d) => d.offGridFlowName !== null);
    expect(seeded).toHaveLength(25);
    for (const d of seeded) expect(d.offGridFlowName.replace(/\.total$/, ''), d.name).toBe(d.name);
  });

  it('adds the last success time, worker capacity, end-to-end latency and the dropped-values self-metric', () => {
    expect(metricDefinition('batch.last_success.timestamp')).toMatchObject({
      kind: 'gauge',
      unit: 's',
      prometheusName: 'batch_last_success_timestamp_seconds',
    });
    expect(metricDefinition('workers.capacity')).toMatchObject({ prometheusName: 'workers_capacity' });
    expect(metricDefinition('batch.latency')).toMatchObject({ kind: 'histogram', unit: 's', prometheusName: 'batch_latency_seconds' });
    expect(metricDefinition('ogf.metrics.dropped')).toMatchObject({
      kind: 'counter',
      attributes: ['reason'],
      prometheusName: 'ogf_metrics_dropped_total',
    });
  });

  it('has unique names, Prometheus names that follow the OTel naming rules, and sorted buckets on every histogram only', () => {
    expect(new Set(METRIC_CATALOG.map((d) => d.name)).size).toBe(METRIC_CATALOG.length);
    expect(new Set(METRIC_CATALOG.map((d) => d.prometheusName)).size).toBe(METRIC_CATALOG.length);
    const unitWord: Record<string, string> = { '': '', s: '_seconds', g: '_grams' };
    for (const d of METRIC_CATALOG) {
      const expected = `${d.name.replace(/\./g, '_')}${unitWord[d.unit]}${d.kind === 'counter' ? '_total' : ''}`;
      expect(d.prometheusName, d.name).toBe(expected);
      expect(d.description.length, d.name).toBeGreaterThan(0);
      if (d.kind === 'histogram') {
        expect(d.buckets, d.name).not.toBeNull();
        expect(
          [...d.buckets].sort((a, b) => a - b),
          d.name,
        ).toEqual(d.buckets);
      } else {
        expect(d.buckets, d.name).toBeNull();
      }
    }
  });

  it('fits batch durations from milliseconds to an hour', () => {
    const buckets = metricDefinition('batch.processing.duration').buckets!;
    expect(buckets[0]).toBeLessThanOrEqual(0.005);
    expect(buckets[buckets.length - 1]).toBe(3600);
  });
});
