// Type-checked by CI against the packed package: the public API as a user meets it.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Counter, Registry } from 'prom-client';
import {
  PrometheusExporter,
  isOgfError,
  prometheusMetricName,
  renderOpenMetrics,
  renderPrometheusText,
  toMetricsSnapshot,
} from '@ogf/prom-export';
import type { ExpositionFormat, MetricsSnapshot, OgfError, PrometheusExporterOptions } from '@ogf/prom-export';
import { createNodeMetricsRegistry } from '@ogf/prom-export/node';
import { negotiateFormat } from '@ogf/core';

const legacy = new Registry();
new Counter({ name: 'legacy_jobs_total', help: 'Jobs.', registers: [legacy] }).inc();

const options: PrometheusExporterOptions = {
  registries: [legacy, createNodeMetricsRegistry({ prefix: 'app_' })],
  cardinalityLimit: 2000,
  onError: (error: OgfError) => void error.code,
};
const exporter = new PrometheusExporter(options);
const provider = new MeterProvider({ readers: [exporter] });
provider.getMeter('app').createCounter('jobs.done').add(1, { queue: 'default' });

export async function serve(request: Request): Promise<Response> {
  return exporter.handler(request);
}

export async function all(): Promise<[string, string, MetricsSnapshot]> {
  const format: ExpositionFormat = negotiateFormat('application/openmetrics-text;version=1.0.0');
  const { contentType, body } = await exporter.render({ format });
  const snapshot: MetricsSnapshot = await exporter.snapshot();
  const { resourceMetrics } = await exporter.collect();
  const text: string = renderPrometheusText(resourceMetrics) + renderOpenMetrics(resourceMetrics);
  const again: MetricsSnapshot = toMetricsSnapshot(resourceMetrics);
  void again;
  void text;
  return [contentType, body, snapshot];
}

export const name: string = prometheusMetricName({ name: 'batch.latency', unit: 's', kind: 'histogram' });

export async function failing(): Promise<string | undefined> {
  try {
    await new PrometheusExporter().render();
    return undefined;
  } catch (error) {
    return isOgfError(error) ? error.code : 'other';
  }
}
