import { ACCEPT_CASES } from '@ogf/testkit/accept';
import { describe, expect, it } from 'vitest';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, contentTypeOf, negotiateFormat } from './negotiate.js';

describe('negotiateFormat', () => {
  it.each(ACCEPT_CASES)('answers %j with %s', (accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });

  it('answers an absent header with text', () => {
    expect(negotiateFormat(undefined)).toBe('text');
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
