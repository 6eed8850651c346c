import { describe, expect, it } from 'vitest';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { setup } from '../test/checks.js';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '@ogf/core';

const request = (init: RequestInit & { accept?: string } = {}): Request =>
  new Request('http://localhost/metrics', { ...init, headers: init.accept ? { accept: init.accept } : {} });

describe('exporter.handler', () => {
  it('answers a plain GET with text 0.0.4, no-store and Vary: Accept', async () => {
    const { provider, exporter } = setup();
    provider.getMeter('m').createCounter('hits').add(2);
    const response = await exporter.handler(request());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(TEXT_CONTENT_TYPE);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toBe('Accept');
    const body = await response.text();
    assertPromtoolClean(body);
    expect(body).toContain('hits_total{otel_scope_name="m"} 2\n');
  });

  it('answers Prometheus’ OpenMetrics Accept header with OpenMetrics 1.0.0', async () => {
    const { provider, exporter } = setup();
    provider.getMeter('m').createCounter('hits').add(2);
    const accept = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    const response = await exporter.handler(request({ accept }));
    expect(response.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
    const families = parseOpenMetrics(await response.text());
    expect(families.find((f) => f.name === 'hits')?.samples[0]?.value).toBe('2');
  });

  it('answers HEAD with the headers GET would send and no body, without collecting', async () => {
    let callbacks = 0;
    const { provider, exporter } = setup();
    provider
      .getMeter('m')
      .createObservableGauge('g')
      .addCallback((result) => {
        callbacks++;
        result.observe(1);
      });
    const response = await exporter.handler(request({ method: 'HEAD', accept: 'application/openmetrics-text' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('');
    expect(callbacks).toBe(0);
  });

  it('refuses other methods with 405 and an Allow header', async () => {
    const { exporter } = setup();
    const response = await exporter.handler(request({ method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('can be passed around unbound, as a plain (Request) => Promise<Response>', async () => {
    const { provider, exporter } = setup();
    provider.getMeter('m').createCounter('hits').add(1);
    const { handler } = exporter;
    expect((await handler(request())).status).toBe(200);
  });

  it('lets render() take a format that wins over the Accept header', async () => {
    const { provider, exporter } = setup();
    provider.getMeter('m').createCounter('hits').add(1);
    const rendered = await exporter.render({ accept: 'application/openmetrics-text', format: 'text' });
    expect(rendered.contentType).toBe(TEXT_CONTENT_TYPE);
    const negotiated = await exporter.render({ accept: 'application/openmetrics-text' });
    expect(negotiated.contentType).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(negotiated.body.endsWith('# EOF\n')).toBe(true);
  });

  it('answers 500 with a reason and tells onError when the exporter cannot collect', async () => {
    const { provider, exporter, reports } = setup();
    await provider.shutdown();
    const response = await exporter.handler(request());
    expect(response.status).toBe(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toMatch(/^metrics exposition failed: cannot collect metrics/);
    expect(reports.map((r) => r.code)).toEqual(['ERR_OGF_RENDER_FAILED']);
  });
});
