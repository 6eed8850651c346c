import { describe, expect, it } from 'vitest';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, contentTypeOf, negotiateFormat } from './negotiate.js';

const table: [accept: string | null | undefined, expected: 'text' | 'openmetrics'][] = [
  [undefined, 'text'],
  [null, 'text'],
  ['', 'text'],
  ['*/*', 'text'],
  ['text/plain', 'text'],
  ['text/plain;version=0.0.4', 'text'],
  ['application/openmetrics-text', 'openmetrics'],
  ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
  ['Application/OpenMetrics-Text;Version=1.0.0', 'openmetrics'],
  ['application/openmetrics-text;version="1.0.0"', 'openmetrics'],
  // What Prometheus 2.x sends.
  ['application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
  // What Prometheus sends with OpenMetrics disabled.
  ['text/plain;version=0.0.4;q=1,*/*;q=0.1', 'text'],
  ['application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3', 'openmetrics'],
  ['application/openmetrics-text;q=0.3,text/plain;q=0.5', 'text'],
  ['text/plain;q=0.5, application/openmetrics-text;q=0.5', 'text'],
  ['application/openmetrics-text;q=0.5, text/plain;q=0.5', 'openmetrics'],
  ['application/openmetrics-text;q=0.5, */*;q=0.5', 'openmetrics'],
  ['application/openmetrics-text;q=0', 'text'],
  ['application/openmetrics-text;q=0, */*', 'text'],
  ['text/plain;q=0, application/openmetrics-text;q=0.1', 'openmetrics'],
  ['text/plain;q=0, */*', 'openmetrics'],
  ['application/*', 'openmetrics'],
  ['application/*;q=0.9, text/*;q=0.8', 'openmetrics'],
  ['text/*;q=0.9, application/*;q=0.8', 'text'],
  // A version we do not speak does not count as accepting OpenMetrics 1.0.0.
  ['application/openmetrics-text;version=0.0.1', 'text'],
  ['application/openmetrics-text;version=2.0.0, text/plain;q=0.1', 'text'],
  ['application/json', 'text'],
  // Unparsable headers fall back to text.
  ['garbage', 'text'],
  ['application/openmetrics-text;q=2', 'text'],
  ['application/openmetrics-text;q=abc', 'text'],
  ['application/openmetrics-text;novalue', 'text'],
  ['/', 'text'],
  ['a/b/c', 'text'],
  [`application/openmetrics-text,${'x'.repeat(5000)}`, 'text'],
];

describe('negotiateFormat', () => {
  it.each(table)('answers %j with %s', (accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });
});

describe('content types', () => {
  it('are exactly the two the formats define', () => {
    expect(TEXT_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(OPENMETRICS_CONTENT_TYPE).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(contentTypeOf('text')).toBe(TEXT_CONTENT_TYPE);
    expect(contentTypeOf('openmetrics')).toBe(OPENMETRICS_CONTENT_TYPE);
  });
});
