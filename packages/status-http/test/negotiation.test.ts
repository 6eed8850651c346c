// One negotiation everywhere: the exporter's own handler and the status app's /metrics answer
// every Accept header of the shared table with the same format.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ACCEPT_CASES } from '@ogf/testkit/accept';
import { contentTypeOf } from '@ogf/core';
import { PrometheusExporter } from '@ogf/prom-export';
import { createStatusApp } from '@ogf/status-http';
import { describe, expect, it } from 'vitest';
import { exporterSource } from './fixtures/real-sources.js';

const exporter = new PrometheusExporter();
const meterProvider = new MeterProvider({ readers: [exporter] });
meterProvider.getMeter('negotiation').createCounter('scrapes').add(1);
const app = createStatusApp({ metrics: exporterSource(exporter) });

function request(url: string, accept: string | null): Request {
  return new Request(url, { headers: accept === null ? {} : { accept } });
}

describe('Accept negotiation', () => {
  it.each(ACCEPT_CASES)('answers %j with %s from both the exporter handler and /metrics', async (accept, format) => {
    const fromExporter = await exporter.handler(request('http://localhost/metrics', accept));
    const fromApp = await app.fetch(request('http://localhost/metrics', accept));
    expect(fromExporter.status).toBe(200);
    expect(fromApp.status).toBe(200);
    expect(fromExporter.headers.get('content-type')).toBe(contentTypeOf(format));
    expect(fromApp.headers.get('content-type')).toBe(contentTypeOf(format));
    const [exporterBody, appBody] = await Promise.all([fromExporter.text(), fromApp.text()]);
    expect(appBody.endsWith('# EOF\n')).toBe(format === 'openmetrics');
    expect(exporterBody.endsWith('# EOF\n')).toBe(format === 'openmetrics');
  });
});
