import { describe, expect, it } from 'vitest';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { PrometheusExporter, isOgfError } from './index.js';
import { family, parseText, readChunks, setup } from '../test/checks.js';

describe('renderStream', () => {
  it('streams, in many chunks, exactly the exposition render() returns', async () => {
    const { provider, exporter } = setup({ cardinalityLimit: 30_000 });
    const counter = provider.getMeter('m').createCounter('requests');
    const histogram = provider.getMeter('m').createHistogram('latency', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } });
    for (let i = 0; i < 20_000; i++) {
      counter.add(i, { route: `/r/${i}`, method: i % 2 ? 'GET' : 'POST' });
      if (i % 10 === 0) histogram.record(i / 5000, { route: `/r/${i}` });
    }
    for (const format of ['text', 'openmetrics'] as const) {
      const streamed = await exporter.renderStream({ format });
      const chunks = await readChunks(streamed.body);
      const { body, contentType } = await exporter.render({ format });
      expect(streamed.contentType).toBe(contentType);
      expect(chunks.filter((chunk) => chunk !== '').length).toBeGreaterThan(10);
      expect(chunks.join('')).toBe(body);
      if (format === 'text') {
        assertPromtoolClean(body);
        expect(family(parseText(body), 'requests').samples).toHaveLength(20_000);
      } else {
        expect(family(parseOpenMetrics(body), 'latency_seconds').samples.length).toBeGreaterThan(2_000);
      }
    }
    await provider.shutdown();
  }, 120_000);

  it('shares one collection between concurrent scrapes of a format, streamed or not', async () => {
    const { provider, exporter } = setup();
    let collections = 0;
    provider
      .getMeter('m')
      .createObservableGauge('probe')
      .addCallback((result) => {
        collections++;
        result.observe(collections);
      });
    const [a, b, c] = await Promise.all([
      exporter.render({ format: 'text' }),
      exporter.renderStream({ format: 'text' }),
      exporter.render({ format: 'text' }),
    ]);
    expect(collections).toBe(1);
    expect((await readChunks(b.body)).join('')).toBe(a.body);
    expect(c.body).toBe(a.body);
    // Once that render ended, the next scrape collects afresh; another format renders apart.
    await Promise.all([exporter.render({ format: 'text' }), exporter.render({ format: 'openmetrics' })]);
    expect(collections).toBe(3);
    await provider.shutdown();
  });

  it('rejects before any byte when the collection fails', async () => {
    const exporter = new PrometheusExporter();
    const failure: unknown = await exporter.renderStream().catch((error: unknown) => error);
    expect(isOgfError(failure) && failure.code).toBe('ERR_OGF_COLLECT_FAILED');
  });

  it('drops a lossy duplicate of a series written chunks earlier, and keeps every other series', async () => {
    const { provider, exporter, reports } = setup();
    const counter = provider.getMeter('m').createCounter('jobs');
    counter.add(1, { n: '0' });
    for (let i = 1; i < 1_000; i++) counter.add(1, { n: String(i) });
    // Prints as n="0", like the first series: a number where the first had a string.
    counter.add(5, { n: 0 });
    const streamed = (await readChunks((await exporter.renderStream({ format: 'text' })).body)).join('');
    const samples = family(parseText(streamed), 'jobs').samples;
    expect(samples).toHaveLength(1_000);
    expect(Number(samples.find((s) => s.labels.n === '0')?.value)).toBe(1);
    expect(reports.map((r) => r.code)).toContain('ERR_OGF_DUPLICATE_SERIES');
    await provider.shutdown();
  });
});
