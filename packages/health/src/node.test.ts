import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHealthChecker, eventLoopCheck, memoryCheck, type EventLoopCheck } from './node.js';

function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: the event loop cannot turn
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stoppers: EventLoopCheck[] = [];
afterEach(() => {
  for (const check of stoppers.splice(0)) check.stop();
});

describe('eventLoopCheck', () => {
  it('is unhealthy while the loop is saturated and healthy again once it turns freely', async () => {
    const check = eventLoopCheck({ degradedAfterMs: 500, unhealthyAfterMs: 500, resolutionMs: 10 });
    stoppers.push(check);
    for (let i = 0; i < 3; i += 1) {
      blockFor(700);
      await tick(0);
    }
    const blocked = await check(new AbortController().signal);
    expect(blocked).toMatchObject({ status: 'unhealthy', message: 'event_loop_blocked' });
    expect(blocked.details?.delay_p99_ms).toBeGreaterThan(500);

    // Each check judges the samples since the previous one: a loop that turns freely passes again.
    await tick(300);
    const free = await check(new AbortController().signal);
    expect(free.status).toBe('healthy');
    expect(free.details?.delay_p99_ms).toBeLessThan(500);
  });

  it('rejects thresholds in the wrong order', () => {
    expect(() => eventLoopCheck({ degradedAfterMs: 500, unhealthyAfterMs: 100 })).toThrow(/unhealthyAfterMs/);
  });
});

describe('memoryCheck', () => {
  it('reports heap and RSS, and fails over a budget', async () => {
    const healthy = await memoryCheck()(new AbortController().signal);
    expect(healthy.status).toBe('healthy');
    expect(healthy.details).toMatchObject({
      heap_used_bytes: expect.any(Number),
      heap_limit_bytes: expect.any(Number),
      rss_bytes: expect.any(Number),
    });
    const over = await memoryCheck({ degradedRssBytes: 1, unhealthyRssBytes: 2 })(new AbortController().signal);
    expect(over).toMatchObject({ status: 'unhealthy', message: 'rss_over_budget' });
    const tight = await memoryCheck({ degradedHeapRatio: 0, unhealthyHeapRatio: 1 })(new AbortController().signal);
    expect(tight).toMatchObject({ status: 'degraded', message: 'heap_high' });
  });
});

describe('createNodeHealthChecker', () => {
  it('watches the event loop for liveness by default, and not for readiness', async () => {
    const health = createNodeHealthChecker({ eventLoop: { unhealthyAfterMs: 5_000, degradedAfterMs: 5_000 } });
    const live = await health.live();
    expect(Object.keys(live.checks)).toEqual(['event_loop']);
    expect(live.status).toBe('healthy');
    expect(Object.keys((await health.ready()).checks)).toEqual([]);
    const bare = createNodeHealthChecker({ eventLoop: false });
    expect(Object.keys((await bare.live()).checks)).toEqual([]);
  });
});
