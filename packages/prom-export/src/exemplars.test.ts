import { describe, expect, it } from 'vitest';
import { family, scrape, setup } from '../test/checks.js';
import type { Exemplar, ExemplarQuery, ExemplarSource } from './index.js';

const TRACE = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' };

/** A source answering from a table keyed by instrument name; it records what it was asked. */
function tableSource(table: Record<string, readonly Exemplar[]>): ExemplarSource & { asked: ExemplarQuery[] } {
  const asked: ExemplarQuery[] = [];
  return {
    asked,
    exemplars(query) {
      asked.push(query);
      return table[query.name];
    },
  };
}

describe('exemplars in the exposition', () => {
  it('writes each exemplar on the bucket its value falls in (newest wins) and on counters, in OpenMetrics only', async () => {
    const source = tableSource({
      'job.duration': [
        { labels: TRACE, value: 0.7, timeUnixMs: 1_700_000_000_000 },
        { labels: { trace_id: 'newer' }, value: 0.9, timeUnixMs: 1_700_000_000_500 },
        { labels: { trace_id: 'huge' }, value: 50 },
      ],
      jobs: [{ labels: TRACE, value: 1, timeUnixMs: 1_700_000_000_250 }],
    });
    const { provider, exporter, reports } = setup({ exemplars: source });
    const meter = provider.getMeter('scope-a');
    meter.createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.5, 1, 5] } }).record(0.7, { q: 'x' });
    meter.createCounter('jobs').add(1);
    meter.createGauge('temp').record(3);
    const { om, text, omFamilies } = await scrape(exporter);
    expect(text).not.toContain('# {');
    const bucketExemplars = family(omFamilies, 'job_duration_seconds')
      .samples.filter((s) => s.exemplar !== null)
      .map((s) => [s.labels.le, s.exemplar]);
    expect(bucketExemplars).toEqual([
      ['1', { labels: { trace_id: 'newer' }, value: '0.9', timestamp: '1700000000.500000000' }],
      ['+Inf', { labels: { trace_id: 'huge' }, value: '50', timestamp: null }],
    ]);
    expect(family(omFamilies, 'jobs').samples[0]?.exemplar?.labels).toEqual(TRACE);
    expect(om).toContain(
      `jobs_total{otel_scope_name="scope-a"} 1 # {trace_id="${TRACE.trace_id}",span_id="${TRACE.span_id}"} 1 1700000000.25\n`,
    );
    expect(source.asked.find((q) => q.name === 'job.duration')).toEqual({ scope: 'scope-a', name: 'job.duration', attributes: { q: 'x' } });
    expect(source.asked.some((q) => q.name === 'temp')).toBe(false);
    expect(reports).toEqual([]);
  });

  it('drops (and reports once) exemplars over 128 label characters, with bad label names or non-finite values', async () => {
    const long = { trace_id: 'x'.repeat(121) }; // 8 + 121 = 129 characters
    const exactly = { trace_id: 'é'.repeat(120) }; // 128 characters, 248 bytes: allowed
    const source = tableSource({
      a: [{ labels: long, value: 1 }],
      b: [{ labels: exactly, value: 1 }],
      c: [{ labels: { 'trace-id': 'x' }, value: 1 }],
      d: [{ labels: TRACE, value: Number.NaN }],
      e: [{ labels: { trace_id: 'a}b' }, value: 1 }],
    });
    const { provider, exporter, reports } = setup({ exemplars: source });
    for (const name of ['a', 'b', 'c', 'd', 'e']) provider.getMeter('s').createCounter(name).add(1);
    const { omFamilies } = await scrape(exporter);
    expect(['a', 'b', 'c', 'd', 'e'].map((name) => family(omFamilies, name).samples[0]?.exemplar?.labels ?? null)).toEqual([
      null,
      exactly,
      null,
      null,
      null,
    ]);
    expect(reports.map((r) => r.code).sort()).toEqual([
      'ERR_OGF_INVALID_NAME',
      'ERR_OGF_INVALID_VALUE',
      'ERR_OGF_INVALID_VALUE',
      'ERR_OGF_INVALID_VALUE',
    ]);
    expect(reports.map((r) => r.message).join('\n')).toMatch(/129 label characters, over OpenMetrics' 128/);
  });

  it('a throwing source is reported and the exposition is written without exemplars', async () => {
    const { provider, exporter, reports } = setup({
      exemplars: {
        exemplars: () => {
          throw new Error('boom');
        },
      },
    });
    provider.getMeter('s').createHistogram('h').record(1);
    const { omFamilies } = await scrape(exporter);
    expect(family(omFamilies, 'h').samples.filter((s) => s.exemplar !== null)).toEqual([]);
    expect(reports.map((r) => [r.code, r.message])).toEqual([
      ['ERR_OGF_COLLECT_FAILED', 'the exemplar source failed: Error: boom; exemplars left out'],
    ]);
  });
});
