import { describe, expect, it } from 'vitest';
import { family, scrape, setup } from '../test/checks.js';

const sumOf = (values: string[]): number => values.reduce((total, value) => total + Number(value), 0);

describe('recording while scraping', () => {
  it('loses no increments when scrapes run between and during recording', async () => {
    const { provider, exporter } = setup();
    const counter = provider.getMeter('m').createCounter('jobs');
    const histogram = provider.getMeter('m').createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: [1] } });
    const rounds = 40;
    const perRound = 250;
    const scrapes: Promise<unknown>[] = [];
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < perRound; i++) {
        counter.add(1, { queue: `q${i % 5}` });
        histogram.record(0.5, { queue: `q${i % 5}` });
      }
      // Start a scrape and keep recording while it collects and renders in slices.
      scrapes.push(exporter.render({ format: round % 2 ? 'openmetrics' : 'text' }));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await Promise.all(scrapes);
    const { textFamilies } = await scrape(exporter);
    const jobs = family(textFamilies, 'jobs').samples.map((s) => s.value);
    expect(sumOf(jobs)).toBe(rounds * perRound);
    const counts = family(textFamilies, 'job_duration_seconds')
      .samples.filter((s) => s.name.endsWith('_count'))
      .map((s) => s.value);
    expect(sumOf(counts)).toBe(rounds * perRound);
  });
});

describe('cardinality', () => {
  it('keeps 10,000 distinct values within the SDK limit, with the overflow series and nothing counted twice', async () => {
    const { provider, exporter } = setup();
    const counter = provider.getMeter('m').createCounter('requests');
    const histogram = provider.getMeter('m').createHistogram('request.size', { unit: 'By', advice: { explicitBucketBoundaries: [100] } });
    for (let i = 0; i < 10_000; i++) {
      counter.add(2, { user: `u${i}` });
      histogram.record(10, { user: `u${i}` });
    }
    await exporter.render();
    // Record again over the same users after a scrape: cumulative values must not double.
    for (let i = 0; i < 10_000; i++) counter.add(1, { user: `u${i}` });
    const { textFamilies, omFamilies } = await scrape(exporter);

    for (const families of [textFamilies, omFamilies]) {
      const requests = family(families, 'requests').samples.filter((s) => s.name === 'requests_total');
      expect(requests.length).toBeLessThanOrEqual(2000);
      const overflow = requests.filter((s) => s.labels.otel_metric_overflow === 'true');
      expect(overflow).toHaveLength(1);
      expect(sumOf(requests.map((s) => s.value))).toBe(30_000);
    }
    const sizes = family(textFamilies, 'request_size_bytes').samples.filter((s) => s.name.endsWith('_count'));
    expect(sizes.length).toBeLessThanOrEqual(2000);
    expect(sumOf(sizes.map((s) => s.value))).toBe(10_000);
  }, 120_000);

  it('honours a cardinalityLimit option', async () => {
    const { provider, exporter } = setup({ cardinalityLimit: 10 });
    const counter = provider.getMeter('m').createCounter('requests');
    for (let i = 0; i < 100; i++) counter.add(1, { user: `u${i}` });
    const { textFamilies } = await scrape(exporter);
    const samples = family(textFamilies, 'requests').samples;
    expect(samples).toHaveLength(10);
    expect(sumOf(samples.map((s) => s.value))).toBe(100);
  });
});
