import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const distributed = { QUEUE: 'bullmq', REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://localhost/batches' };

describe('the distributed mode settings', () => {
  it('defaults to one process with the in-memory queue and names the instance after host and pid', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ queue: 'memory', role: 'all', redisUrl: undefined });
    expect(config.instanceId).toMatch(new RegExp(`-${process.pid}$`));
  });

  it('takes QUEUE=bullmq with REDIS_URL, DATABASE_URL, ROLE and INSTANCE_ID', () => {
    expect(loadConfig({ ...distributed, ROLE: 'worker', INSTANCE_ID: 'worker-2' })).toMatchObject({
      queue: 'bullmq',
      redisUrl: 'redis://127.0.0.1:6379',
      role: 'worker',
      instanceId: 'worker-2',
    });
  });

  it.each([
    [{ QUEUE: 'kafka' }, 'QUEUE must be one of memory, bullmq, got "kafka"'],
    [{ ...distributed, REDIS_URL: '' }, 'QUEUE=bullmq needs REDIS_URL'],
    [{ ...distributed, DATABASE_URL: '' }, 'QUEUE=bullmq needs DATABASE_URL'],
    [{ ...distributed, REDIS_URL: 'http://redis:6379' }, 'REDIS_URL must start with redis: or rediss:, got http:'],
    [{ ...distributed, REDIS_URL: 'not a url' }, 'REDIS_URL must be a URL'],
    [{ ...distributed, REDIS_URL: 'redis://redis:6379/queues' }, 'REDIS_URL must end with a database number'],
    [{ ROLE: 'worker' }, 'ROLE=worker needs QUEUE=bullmq'],
    [{ ...distributed, ROLE: 'both' }, 'ROLE must be one of api, worker, all, got "both"'],
    [{ INSTANCE_ID: 'a b' }, 'INSTANCE_ID must be 1 to 128 letters'],
  ])('refuses %o with a message that says what was expected', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
