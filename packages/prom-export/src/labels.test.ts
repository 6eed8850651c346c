// The label text is memoised on the attributes object itself (a private, non-enumerable symbol):
// users' objects must look untouched, frozen ones must still render, and every exporter that sees
// an attributes object must still be told about its unusable keys.
import { describe, expect, it } from 'vitest';
import { family, scrape, setup } from '../test/checks.js';

describe('label text memo', () => {
  it('leaves the recorded attributes objects looking untouched', async () => {
    const { provider, exporter } = setup();
    const attributes = { route: '/a', 'http.method': 'GET' };
    provider.getMeter('m').createCounter('jobs').add(1, attributes);
    await scrape(exporter);
    await scrape(exporter);
    expect(Object.keys(attributes)).toEqual(['route', 'http.method']);
    expect(JSON.stringify(attributes)).toBe('{"route":"/a","http.method":"GET"}');
    expect({ ...attributes }).toEqual({ route: '/a', 'http.method': 'GET' });
    expect(Object.assign({}, attributes)).toStrictEqual({ route: '/a', 'http.method': 'GET' });
    const keys: string[] = [];
    for (const key in attributes) keys.push(key);
    expect(keys).toEqual(['route', 'http.method']);
    await provider.shutdown();
  });

  it('renders frozen attributes objects, and the same labels on every scrape', async () => {
    const { provider, exporter } = setup();
    const counter = provider.getMeter('m').createCounter('jobs');
    counter.add(2, Object.freeze({ queue: 'a"b' }));
    counter.add(3, Object.seal({ queue: 'c' }));
    for (let i = 0; i < 3; i++) {
      const samples = family((await scrape(exporter)).textFamilies, 'jobs').samples;
      expect(samples.map((s) => [s.labels.queue, Number(s.value)])).toEqual([
        ['a"b', 2],
        ['c', 3],
      ]);
    }
    await provider.shutdown();
  });

  it('tells every exporter that renders an attributes object about a key it leaves out', async () => {
    const first = setup();
    const second = setup();
    const attributes = { '': 'x', ok: 'y' };
    first.provider.getMeter('m').createCounter('jobs').add(1, attributes);
    second.provider.getMeter('m').createCounter('jobs').add(1, attributes);
    await scrape(first.exporter);
    await scrape(second.exporter);
    for (const { reports } of [first, second]) expect(reports.map((r) => r.code)).toContain('ERR_OGF_INVALID_NAME');
    await Promise.all([first.provider.shutdown(), second.provider.shutdown()]);
  });
});
