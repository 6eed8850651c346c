import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prometheusDir } from '../src/paths.ts';
import { LIVE_WINDOWS, shortenWindows } from '../src/short-windows.ts';

const rules = (file: string): string => readFileSync(join(prometheusDir, 'rules', file), 'utf8');

describe('shortenWindows, the test variant of the rules', () => {
  it('shortens range selectors, for: durations, group intervals and the forecast horizon', () => {
    const text = [
      '  - name: g',
      '    interval: 1m',
      '    rules:',
      '      - record: a:b:c',
      '        expr: predict_linear(x[10m], 900) + rate(y[5m]) + avg_over_time(z[1d])',
      '      - alert: A',
      '        for: 15m',
    ].join('\n');
    expect(shortenWindows(text)).toBe(
      [
        '  - name: g',
        '    interval: 1s',
        '    rules:',
        '      - record: a:b:c',
        '        expr: predict_linear(x[20s], 30) + rate(y[10s]) + avg_over_time(z[2m])',
        '      - alert: A',
        '        for: 30s',
      ].join('\n'),
    );
  });

  it('refuses a window it has no short version of', () => {
    expect(() => shortenWindows('expr: rate(x[7m])')).toThrow(/no short window for range 7m/);
    expect(() => shortenWindows('        for: 45m')).toThrow(/no short window for for: 45m/);
  });

  it.each(['slis.yml', 'alerts.yml', 'anomalies.yml', 'capacity.yml'])('leaves no production window in %s', (file) => {
    const original = rules(file);
    const short = shortenWindows(original);
    const windowsOf = (text: string): string[] => [...text.matchAll(/\[(\w+)\]|for: (\w+)/g)].map((m) => m[1] ?? m[2]!);
    expect(windowsOf(short)).toHaveLength(windowsOf(original).length);
    expect(windowsOf(short).length).toBeGreaterThan(0);
    for (const window of windowsOf(short)) expect(Object.values(LIVE_WINDOWS)).toContain(window);
    expect(short).not.toMatch(/\b900\b/);
  });
});
