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
});
