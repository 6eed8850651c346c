import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '@ogf/core';
import { startStatusServer, type StatusServer } from '@ogf/status-http/node';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@ogf/prom-export';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { degradedChecker, exporterSource, seedWorkloadSource } from './fixtures/real-sources.js';

describe('the /metrics route over a real Node server with the real exporter', () => {
  let server: StatusServer;
  beforeAll(async () => {
    server = await startStatusServer({ health: degradedChecker(), metrics: seedWorkloadSource(), port: 0, token: 'scrape-token' });
  });
  afterAll(async () => {
    await server?.close();
  });
  const scrape = (path: string, accept?: string): Promise<Response> =>
    fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer scrape-token', ...(accept ? { accept } : {}) } });

  it('serves text 0.0.4 that passes promtool check metrics with zero findings', async () => {
    for (const path of ['/metrics', '/api/v1/metrics/prometheus']) {
      const response = await scrape(path, 'text/plain;version=0.0.4');
      expect(response.headers.get('content-type')).toBe(TEXT_CONTENT_TYPE);
      const body = await response.text();
      assertPromtoolClean(body);
      expect(body).toMatch(/^batch_submitted_total\{[^}]*\} 42$/m);
    }
  });

  it('serves a generic exposition that promtool passes with no finding at all', async () => {
    const exporter = new PrometheusExporter();
    const meter = new MeterProvider({ readers: [exporter] }).getMeter('jobs');
    meter.createCounter('jobs.done', { description: 'Jobs done.' }).add(3, { queue: 'a"b\\c' });
    meter.createHistogram('job.duration', { unit: 's', description: 'Job time.' }).record(0.25);
    const generic = await startStatusServer({ metrics: exporterSource(exporter), port: 0 });
    try {
      const response = await fetch(`${generic.url}/metrics`);
      expect(response.headers.get('content-type')).toBe(TEXT_CONTENT_TYPE);
      const body = await response.text();
      assertPromtoolClean(body);
      expect(body).toContain('jobs_done_total');
    } finally {
      await generic.close();
    }
  });

  it('serves OpenMetrics that the strict parser accepts, with the seed numbers', async () => {
    const response = await scrape('/metrics', 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3');
    expect(response.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
    const families = parseOpenMetrics(await response.text());
    const submitted = families.find((family) => family.name === 'batch_submitted');
    expect(submitted?.type).toBe('counter');
    expect(Number(submitted?.samples.find((sample) => sample.name === 'batch_submitted_total')?.value)).toBe(42);
    expect(Number(families.find((family) => family.name === 'queue_size')?.samples[0]?.value)).toBe(5);
  });
});
