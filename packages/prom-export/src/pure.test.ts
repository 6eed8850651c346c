import { ValueType } from '@opentelemetry/api';
import { emptyResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { checked, family } from '../test/checks.js';
import type { OgfError } from './errors.js';
import { renderOpenMetrics, renderPrometheusText } from './exposition.js';
import { createRenderCache } from './labels.js';

const T0: [number, number] = [1_700_000_000, 500_000_000];
const T1: [number, number] = [1_700_000_060, 0];

function metric(
  partial: Partial<MetricData> & Pick<MetricData, 'dataPointType' | 'dataPoints'> & { name: string; unit?: string },
): MetricData {
  const { name, unit, ...rest } = partial;
  return {
    descriptor: { name, description: '', unit: unit ?? '', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    isMonotonic: true,
    ...rest,
  } as MetricData;
}

function resourceMetrics(metrics: MetricData[]): ResourceMetrics {
  return { resource: emptyResource(), scopeMetrics: [{ scope: { name: 'inject' }, metrics }] };
}

function both(input: ResourceMetrics, reports: OgfError[] = []): ReturnType<typeof checked> {
  const onError = (error: OgfError): number => reports.push(error);
  return checked(renderPrometheusText(input, { onError }), renderOpenMetrics(input, { onError }));
}

describe('the pure render functions', () => {
  it('are a function of their input: same metrics, same text, with or without a cache', () => {
    const input = resourceMetrics([
      metric({
        name: 'c',
        dataPointType: DataPointType.SUM,
        dataPoints: [{ attributes: { a: 'x' }, startTime: T0, endTime: T1, value: 1 }],
      }),
    ]);
    const cache = createRenderCache();
    const first = renderPrometheusText(input, { cache });
    expect(renderPrometheusText(input, { cache })).toBe(first);
    expect(renderPrometheusText(input)).toBe(first);
    expect(renderOpenMetrics(input)).toBe(renderOpenMetrics(input));
  });

  it('drops NaN and negative counter points (OpenMetrics forbids them) and reports once per family', () => {
    const reports: OgfError[] = [];
    const points = [Number.NaN, -1, 4].map((value, i) => ({ attributes: { i }, startTime: T0, endTime: T1, value }));
    const { textFamilies, omFamilies } = both(
      resourceMetrics([metric({ name: 'c', dataPointType: DataPointType.SUM, dataPoints: points })]),
      reports,
    );
    expect(family(textFamilies, 'c').samples.map((s) => s.value)).toEqual(['4.0']);
    expect(family(omFamilies, 'c').samples.map((s) => [s.name, s.value])).toEqual([
      ['c_total', '4'],
      ['c_created', '1700000000.5'],
    ]);
    expect(reports.map((r) => r.code)).toEqual(['ERR_OGF_INVALID_VALUE', 'ERR_OGF_INVALID_VALUE']);
  });

  it('leaves _sum out of histograms with negative buckets (and _count too in OpenMetrics)', () => {
    const histogram = { buckets: { boundaries: [-1, 0, 1], counts: [1, 0, 2, 1] }, count: 4, sum: 3 };
    const input = resourceMetrics([
      metric({
        name: 'temp',
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: [{ attributes: {}, startTime: T0, endTime: T1, value: histogram }],
      }),
    ]);
    const { text, om, omFamilies } = both(input);
    expect(text).not.toContain('temp_sum');
    expect(text).toContain('temp_count{otel_scope_name="inject"} 4\n');
    expect(om).not.toMatch(/temp_(sum|count)/);
    expect(family(omFamilies, 'temp').samples.map((s) => s.value)).toEqual(['1', '1', '3', '4', '1700000000.5']);
  });

  it('renders gauges with NaN and infinities the way each format spells them', () => {
    const points = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5, 1e21].map((value, i) => ({
      attributes: { i: String(i) },
      startTime: T0,
      endTime: T1,
      value,
    }));
    const { text, omFamilies } = both(resourceMetrics([metric({ name: 'g', dataPointType: DataPointType.GAUGE, dataPoints: points })]));
    expect(text.match(/^g\{.*\} (.*)$/gm)?.map((line) => line.split('} ')[1])).toEqual(['NaN', '+Inf', '-Inf', '-0.5', '1e+21']);
    expect(family(omFamilies, 'g').samples.map((s) => s.value)).toEqual(['NaN', '+Inf', '-Inf', '-0.5', '1e+21']);
  });

  it('drops delta sums, metrics without a usable name and keys without a usable label, and reports each', () => {
    const reports: OgfError[] = [];
    const input = resourceMetrics([
      metric({
        name: 'delta',
        aggregationTemporality: AggregationTemporality.DELTA,
        dataPointType: DataPointType.SUM,
        dataPoints: [{ attributes: {}, startTime: T0, endTime: T1, value: 1 }],
      }),
      metric({ name: '@#$', dataPointType: DataPointType.GAUGE, dataPoints: [{ attributes: {}, startTime: T0, endTime: T1, value: 1 }] }),
      metric({
        name: 'kept',
        dataPointType: DataPointType.GAUGE,
        dataPoints: [{ attributes: { '': 'lost', fine: 'yes' }, startTime: T0, endTime: T1, value: 1 }],
      }),
    ]);
    const { textFamilies } = both(input, reports);
    expect(textFamilies.map((f) => f.name)).toEqual(['kept']);
    expect(family(textFamilies, 'kept').samples[0]?.labels).toEqual({ fine: 'yes', otel_scope_name: 'inject' });
    // Two renders (text, then OpenMetrics), each reporting every problem once.
    expect(reports.map((r) => r.code).sort()).toEqual([
      'ERR_OGF_INVALID_NAME',
      'ERR_OGF_INVALID_NAME',
      'ERR_OGF_INVALID_NAME',
      'ERR_OGF_INVALID_NAME',
      'ERR_OGF_UNSUPPORTED_DATA',
      'ERR_OGF_UNSUPPORTED_DATA',
    ]);
  });

  it('replaces lone surrogates with U+FFFD so the body is valid UTF-8', () => {
    const input: ResourceMetrics = {
      resource: resourceFromAttributes({ 'host\uD800': 'x\uDC00y' }),
      scopeMetrics: [
        {
          scope: { name: 's\uD83D', version: '\uDE00' },
          metrics: [
            metric({
              name: 'g',
              dataPointType: DataPointType.GAUGE,
              dataPoints: [{ attributes: { v: 'a\uD800b' }, startTime: T0, endTime: T1, value: 1 }],
            }),
          ],
        },
      ],
    };
    const { text, textFamilies, omFamilies } = both(input);
    expect(text.isWellFormed()).toBe(true);
    for (const families of [textFamilies, omFamilies]) {
      expect(families[0]?.samples[0]?.labels).toEqual({ host_: 'x\uFFFDy' });
      expect(family(families, 'g').samples[0]?.labels).toEqual({ v: 'a\uFFFDb', otel_scope_name: 's\uFFFD', otel_scope_version: '\uFFFD' });
    }
  });

  it('falls back to the instrument name for HELP when the description is empty or only blanks', () => {
    const input = resourceMetrics(
      ['', ' ', '\t \t'].map((description, index) => ({
        ...metric({
          name: `blank.${index}`,
          dataPointType: DataPointType.SUM,
          dataPoints: [{ attributes: {}, startTime: T0, endTime: T1, value: 1 }],
        }),
        descriptor: { name: `blank.${index}`, description, unit: '', valueType: ValueType.DOUBLE },
      })),
    );
    const { textFamilies, omFamilies } = both(input);
    for (const index of [0, 1, 2]) {
      expect(family(textFamilies, `blank_${index}`).help).toBe(`blank.${index}`);
      expect(family(omFamilies, `blank_${index}`).help).toBe(`blank.${index}`);
    }
  });

  it('writes nothing but # EOF for an empty collection', () => {
    const input = resourceMetrics([]);
    expect(renderPrometheusText(input)).toBe('');
    expect(renderOpenMetrics(input)).toBe('# EOF\n');
  });
});
