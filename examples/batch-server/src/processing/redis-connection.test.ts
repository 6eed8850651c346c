import { describe, expect, it } from 'vitest';
import { redisConnection } from './redis-connection.ts';

describe('REDIS_URL', () => {
  it('gives host, port and database 0 by default', () => {
    expect(redisConnection('redis://redis')).toEqual({ host: 'redis', port: 6379, db: 0 });
  });

  it('decodes user and password, reads the database number and turns on TLS for rediss://', () => {
    expect(redisConnection('rediss://app:p%40ss%2Fword@cache.internal:6380/2')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'app',
      password: 'p@ss/word',
      db: 2,
      tls: {},
    });
  });

  it('refuses a path that is not a database number', () => {
    expect(() => redisConnection('redis://redis:6379/queues')).toThrow(
      'REDIS_URL must end with a database number (/0, /1, …), got /queues',
    );
  });
});
