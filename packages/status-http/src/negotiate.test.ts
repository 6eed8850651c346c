import { describe, expect, it } from 'vitest';
import { negotiateMetricsFormat } from './negotiate.js';

describe('negotiateMetricsFormat', () => {
  it.each([
    [null, 'text'],
    ['', 'text'],
    ['*/*', 'text'],
    ['text/plain;version=0.0.4', 'text'],
    ['application/openmetrics-text', 'openmetrics'],
    ['APPLICATION/OPENMETRICS-TEXT; Version="1.0.0"', 'openmetrics'],
    ['application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2', 'openmetrics'],
    ['application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,text/plain;version=0.0.4;q=0.5', 'openmetrics'],
    ['application/openmetrics-text;q=0.2, text/plain;q=0.9', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
    ['application/openmetrics-text;version=0.0.1', 'text'],
    ['application/openmetrics-text;q=abc', 'text'],
    ['application/openmetrics-text;q=1.5', 'text'],
    [';;;,,,=q', 'text'],
    [`application/openmetrics-text,${'x'.repeat(5000)}`, 'text'],
  ] as const)('answers %j with %s', (accept, format) => {
    expect(negotiateMetricsFormat(accept)).toBe(format);
  });
});
