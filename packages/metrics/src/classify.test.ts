import { describe, expect, it } from 'vitest';
import { BUILTIN_ERROR_TYPES, classifyError, createErrorClassifier } from '@ogf/metrics';

const withCode = (message: string, code: string | number): Error => Object.assign(new Error(message), { code });
const named = (name: string, message = ''): Error => Object.assign(new Error(message), { name });

describe('classifyError', () => {
  it.each([
    ['an AbortError', named('AbortError', 'This operation was aborted'), 'cancelled'],
    ['a TimeoutError from AbortSignal.timeout', named('TimeoutError', 'The operation timed out'), 'timeout'],
    ['ETIMEDOUT', withCode('read ETIMEDOUT', 'ETIMEDOUT'), 'timeout'],
    ['an HTTP 429', Object.assign(new Error('upstream said no'), { status: 429 }), 'rate_limited'],
    ['a PostgreSQL SQLSTATE', withCode('duplicate key value violates unique constraint', '23505'), 'database'],
    ['a serialization failure', withCode('could not serialize access', '40001'), 'database'],
    ['ECONNREFUSED', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'network'],
    ["undici's fetch failed", new TypeError('fetch failed'), 'network'],
    ['a ZodError', named('ZodError', '[]'), 'validation'],
    ['an HTTP 422', Object.assign(new Error('unprocessable'), { statusCode: 422 }), 'validation'],
    ['a message about a deadlock', new Error('deadlock detected'), 'database'],
    ['a message about invalid input', new Error('quantity must be a number'), 'validation'],
    ['a wrapped timeout', new Error('batch failed', { cause: withCode('x', 'ETIMEDOUT') }), 'timeout'],
    ['the string "timeout"', 'timeout', 'timeout'],
    ['the seed string database_connection_error', 'database_connection_error', 'database'],
    ['an unknown error', new Error('the flux capacitor is sad'), 'other'],
    ['undefined', undefined, 'other'],
    ['a number', 42, 'other'],
  ])('classifies %s', (_label, error, expected) => {
    expect(classifyError(error)).toBe(expected);
  });

  it('returns only types of the closed set, for anything', () => {
    const inputs = [null, {}, [], Symbol('s'), () => 1, { message: 12 }, { name: {}, code: [] }, 'x'.repeat(100_000)];
    for (const input of inputs) expect(BUILTIN_ERROR_TYPES).toContain(classifyError(input));
  });

  it('tries registered rules first and treats a throwing rule as no match', () => {
    const classifier = createErrorClassifier({
      classifiers: [
        {
          type: 'exploding',
          matches: () => {
            throw new Error('rule bug');
          },
        },
        { type: 'factor_missing', matches: (e) => e instanceof RangeError },
      ],
    });
    expect(classifier.classify(new RangeError('no factor for diesel'))).toBe('factor_missing');
    expect(classifier.classify('factor_missing')).toBe('factor_missing');
    expect(classifier.classify(withCode('x', 'ECONNRESET'))).toBe('network');
    expect(classifier.types).toEqual(['exploding', 'factor_missing', ...BUILTIN_ERROR_TYPES]);
  });
});
