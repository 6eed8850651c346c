import { describe, expect, it } from 'vitest';
import { parseOpenMetrics } from './openmetrics.ts';
import { assertPromtoolClean, promtoolCheckMetrics } from './promtool.ts';

describe('testkit checkers', () => {
  it('promtool passes a clean exposition and reports lint findings on a bad one', () => {
    expect(promtoolCheckMetrics('# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total 1\n')).toEqual({
      exitCode: 0,
      findings: [],
    });
    const bad = promtoolCheckMetrics('# TYPE jobs counter\njobs 1\n');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.findings.join('\n')).toContain('_total');
  });

  it('assertPromtoolClean passes only zero findings: a lint finding or a parse error throws', () => {
    expect(() => assertPromtoolClean('# HELP mass_grams_total Mass.\n# TYPE mass_grams_total counter\nmass_grams_total 1\n')).not.toThrow();
    const kilograms = '# HELP mass_kilograms_total Mass.\n# TYPE mass_kilograms_total counter\nmass_kilograms_total 1\n';
    expect(() => assertPromtoolClean(kilograms)).toThrow(/grams/);
    expect(() => assertPromtoolClean('# TYPE mass_grams_total counter\nmass_grams_total 1\n')).toThrow(/no help/);
    expect(() => assertPromtoolClean('mass{ 1\n')).toThrow(/exit 1/);
  });

  it('the OpenMetrics parser decodes escapes and rejects an exposition without # EOF', () => {
    const families = parseOpenMetrics('# TYPE jobs counter\njobs_total{q="a\\"b\\nc"} 2\n# EOF\n');
    expect(families).toHaveLength(1);
    expect(families[0]?.samples[0]?.labels).toEqual({ q: 'a"b\nc' });
    expect(() => parseOpenMetrics('# TYPE jobs counter\njobs_total 2\n')).toThrow(/EOF/);
  });

  it('the OpenMetrics parser holds exemplars to the spec: place, 128 label characters, value, timestamp, bucket range', () => {
    const histogram = (exemplars: [string, string, string]): string =>
      `# TYPE d histogram\nd_bucket{le="1"} 1${exemplars[0]}\nd_bucket{le="5"} 2${exemplars[1]}\nd_bucket{le="+Inf"} 2${exemplars[2]}\nd_count 2\nd_sum 3\n# EOF\n`;
    const ok = parseOpenMetrics(histogram([' # {trace_id="ab"} 0.5 1700000000.25', ' # {trace_id="cd"} 2.5', '']));
    expect(ok[0]?.samples[1]?.exemplar).toEqual({ labels: { trace_id: 'cd' }, value: '2.5', timestamp: null });
    expect(ok[0]?.samples[0]?.exemplar?.timestamp).toBe('1700000000.250000000');
    expect(parseOpenMetrics('# TYPE c counter\nc_total 3 # {span_id="x"} 1\n# EOF\n')[0]?.samples[0]?.exemplar?.value).toBe('1');
    expect(() => parseOpenMetrics(histogram(['', ' # {trace_id="ab"} 0.5', '']))).toThrow(/outside the bucket/);
    expect(() => parseOpenMetrics(histogram([' # {trace_id="ab"} 2', '', '']))).toThrow(/outside the bucket/);
    expect(() => parseOpenMetrics(histogram(['', '', ' # {trace_id="ab"} +Inf']))).toThrow(/non-finite/);
    expect(() => parseOpenMetrics(histogram([` # {t="${'x'.repeat(128)}"} 1`, '', '']))).toThrow(/too long/);
    expect(() => parseOpenMetrics(histogram([' # {trace_id="ab"} 1 x', '', '']))).toThrow(/invalid OpenMetrics/);
    expect(() => parseOpenMetrics('# TYPE g gauge\ng 3 # {span_id="x"} 1\n# EOF\n')).toThrow(/exemplars/);
  });
});
