import { describe, expect, it } from 'vitest';
import { OgfError, errorReporter, isOgfError } from './errors.js';

describe('OgfError', () => {
  it('carries a typed code, a message and a cause', () => {
    const cause = new Error('root');
    const error = new OgfError('ERR_OGF_INVALID_OPTION', 'timeoutMs must be positive, got -1', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OgfError');
    expect(error.code).toBe('ERR_OGF_INVALID_OPTION');
    expect(error.message).toBe('timeoutMs must be positive, got -1');
    expect(error.cause).toBe(cause);
  });

  it('keeps its brand out of JSON', () => {
    const error = new OgfError('ERR_OGF_X', 'x');
    expect(Object.getOwnPropertyDescriptor(error, Symbol.for('ogf.error'))?.enumerable).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'OgfError', code: 'ERR_OGF_X' });
  });
});

describe('isOgfError', () => {
  it('recognises an OgfError, and one from another copy of the class by its brand', () => {
    expect(isOgfError(new OgfError('ERR_OGF_INVALID_OPTION', 'x'))).toBe(true);
    const foreign = Object.assign(new Error('x'), { code: 'ERR_OGF_X' });
    Object.defineProperty(foreign, Symbol.for('ogf.error'), { value: true });
    expect(isOgfError(foreign)).toBe(true);
  });

  it('rejects plain errors, look-alikes without the brand and non-objects', () => {
    expect(isOgfError(new Error('x'))).toBe(false);
    expect(isOgfError({ name: 'OgfError', code: 'ERR_OGF_X', message: 'x' })).toBe(false);
    expect(isOgfError(null)).toBe(false);
    expect(isOgfError('ERR_OGF_X')).toBe(false);
  });
});

describe('errorReporter', () => {
  it('calls onError when given, the fallback otherwise', () => {
    const seen: string[] = [];
    const error = new OgfError('ERR_OGF_INVALID_VALUE', 'NaN');
    errorReporter(
      (e) => seen.push(`hook ${e.code}`),
      () => seen.push('fallback'),
    )(error);
    errorReporter(undefined, (e) => seen.push(`fallback ${e.code}`))(error);
    expect(seen).toEqual(['hook ERR_OGF_INVALID_VALUE', 'fallback ERR_OGF_INVALID_VALUE']);
  });

  it('swallows a throwing hook', () => {
    const report = errorReporter(
      () => {
        throw new Error('hook broke');
      },
      () => undefined,
    );
    expect(() => report(new OgfError('ERR_OGF_X', 'x'))).not.toThrow();
  });
});
