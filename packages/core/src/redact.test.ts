import { describe, expect, it } from 'vitest';
import { categorizeFailure, redactFailure, scrubMessage } from './redact.js';

function withCode(message: string, code: string, name?: string): Error {
  const error = Object.assign(new Error(message), { code });
  if (name) error.name = name;
  return error;
}

describe('categorizeFailure', () => {
  it.each([
    [new Error('connect ECONNREFUSED postgres://app:S3cr3t@10.0.0.5:5432/db'), 'connection_refused'],
    [withCode('', 'ECONNREFUSED'), 'connection_refused'],
    // Node's happy-eyeballs connect error: an AggregateError with an empty message.
    [
      Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''), { code: 'ECONNREFUSED' }),
      'connection_refused',
    ],
    // fetch wraps the cause.
    [new TypeError('fetch failed', { cause: withCode('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND') }), 'host_not_found'],
    [new Error('Connection terminated due to connection timeout'), 'timeout'],
    [new Error('Connection terminated unexpectedly'), 'connection_reset'],
    [new Error('Connection is closed.'), 'connection_reset'],
    [withCode('password authentication failed for user "app"', '28P01'), 'authentication_failed'],
    [withCode('terminating connection due to administrator command', '57P01'), 'unavailable'],
    [new Error('WRONGPASS invalid username-password pair or user is disabled.'), 'authentication_failed'],
    [new Error('NOAUTH Authentication required.'), 'authentication_failed'],
    [new Error('LOADING Redis is loading the dataset in memory'), 'unavailable'],
    [Object.assign(new Error('The client is closed'), { name: 'ClientClosedError' }), 'connection_reset'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    [new DOMException('This operation was aborted', 'AbortError'), 'aborted'],
    [new Error('self-signed certificate in certificate chain'), 'tls_error'],
    ['read ECONNRESET', 'connection_reset'],
  ] as const)('names %s as %s', (error, category) => {
    expect(categorizeFailure(error)).toBe(category);
  });

  it('returns undefined for what it does not recognise', () => {
    expect(categorizeFailure(new Error('relation "jobs" does not exist'))).toBeUndefined();
    expect(categorizeFailure(new Error('error loading configuration'))).toBeUndefined();
    expect(categorizeFailure(42)).toBeUndefined();
    expect(categorizeFailure(null)).toBeUndefined();
  });

  it('survives a cause cycle', () => {
    const a = new Error('outer');
    const b = new Error('inner', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(categorizeFailure(a)).toBeUndefined();
  });
});

describe('scrubMessage', () => {
  it.each([
    ['failed for postgres://app:S3cr3t@10.0.0.5:5432/db', 'failed for postgres://[redacted]'],
    ['redis://:hunter2@cache:6379 refused', 'redis://[redacted] refused'],
    ['login app:S3cr3t@db.example.com failed', 'login [redacted] failed'],
    [
      'host=10.0.0.5 port=5432 user=app password=S3cr3t dbname=db',
      'host=[redacted] port=[redacted] user=[redacted] password=[redacted] dbname=[redacted]',
    ],
    ['Server=db;Database=app;User Id=sa;Password=S3cr3t;', 'Server=[redacted];Database=[redacted];User Id=[redacted];Password=[redacted];'],
    ['{"password":"S3cr3t","ok":true}', '{"password":[redacted],"ok":true}'],
    ['token: abc.def', 'token: [redacted]'],
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
    ['key AKIAIOSFODNN7EXAMPLE leaked', 'key [redacted] leaked'],
    ['session 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 expired', 'session [redacted] expired'],
    ['connect to [2001:db8::1]:5432 and fe80::1 and ::1', 'connect to [address] and [address] and [address]'],
    ['cannot reach db.prod.internal or cache.local:6379 or localhost:5432', 'cannot reach [address] or [address] or [address]'],
    ['Error: boom\n    at Object.<anonymous> (/app/src/db.ts:10:5)\n    at node:internal', 'Error: boom'],
    ['relation "jobs" does not exist', 'relation "jobs" does not exist'],
    ['std::io failed at 10:20:30', 'std::io failed at 10:20:30'],
  ])('scrubs %j', (input, expected) => {
    expect(scrubMessage(input)).toBe(expected);
  });

  it('caps the length to one short line', () => {
    const long = 'x '.repeat(500);
    const scrubbed = scrubMessage(long);
    expect(scrubbed.length).toBeLessThanOrEqual(201);
    expect(scrubbed.endsWith('…')).toBe(true);
  });
});

describe('redactFailure', () => {
  it('prefers the category, then the scrubbed message, then "error"', () => {
    expect(redactFailure(new Error('connect ECONNREFUSED postgres://app:S3cr3t@10.0.0.5:5432/db'))).toBe('connection_refused');
    expect(redactFailure(new Error('relation "jobs" does not exist at postgres://app:pw@h/db'))).toBe(
      'relation "jobs" does not exist at postgres://[redacted]',
    );
    expect(redactFailure(new Error(''))).toBe('error');
    expect(redactFailure({})).toBe('error');
  });
});
