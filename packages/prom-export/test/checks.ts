// Test helpers: every exposition a test produces goes through promtool (text) and the strict
// OpenMetrics parser, and can be read back as families with the Python client's text parser.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ParsedFamily } from '@ogf/testkit/openmetrics';
import { parseOpenMetrics, parsePrometheusText } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { PrometheusExporter } from '../src/index.js';

/** Reads a text 0.0.4 exposition back with the Python client's parser. */
export const parseText: typeof parsePrometheusText = parsePrometheusText;
import type { OgfError, PrometheusExporterOptions } from '../src/index.js';

/** A MeterProvider wired to a fresh exporter, with the exporter's reports collected. */
export function setup(options: PrometheusExporterOptions = {}): {
  provider: MeterProvider;
  exporter: PrometheusExporter;
  reports: OgfError[];
} {
  const reports: OgfError[] = [];
  const exporter = new PrometheusExporter({ onError: (error) => reports.push(error), ...options });
  const provider = new MeterProvider({ readers: [exporter] });
  return { provider, exporter, reports };
}

export interface Scrape {
  text: string;
  om: string;
  textFamilies: ParsedFamily[];
  omFamilies: ParsedFamily[];
}

/** Renders both formats, checks them (promtool clean, strict OpenMetrics), and parses both. */
export async function scrape(exporter: PrometheusExporter): Promise<Scrape> {
  const text = (await exporter.render({ format: 'text' })).body;
  const om = (await exporter.render({ format: 'openmetrics' })).body;
  return checked(text, om);
}

/** Checks and parses two expositions. */
export function checked(text: string, om: string): Scrape {
  assertPromtoolClean(text);
  return { text, om, textFamilies: parsePrometheusText(text), omFamilies: parseOpenMetrics(om) };
}

/** The family of that name, or a failure naming the ones there are. */
export function family(families: ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no family ${name}; have ${families.map((f) => f.name).join(', ')}`);
  return found;
}

/** Label sets without the scope labels, for compact expectations. */
export function withoutScope(labels: Record<string, string>): Record<string, string> {
  const { otel_scope_name: _name, otel_scope_version: _version, ...rest } = labels;
  return rest;
}

/** A streamed body read chunk by chunk, each decoded as strict UTF-8 (a split character fails). */
export async function readChunks(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const reader = body.getReader();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value));
  }
}
