// Test helpers: every exposition a test produces goes through promtool (text) and the strict
// OpenMetrics parser, and can be read back as families with the Python client's text parser.
import { spawnSync } from 'node:child_process';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ParsedFamily } from '@ogf/testkit/openmetrics';
import { parseOpenMetrics } from '@ogf/testkit/openmetrics';
import { assertPromtoolClean } from '@ogf/testkit/promtool';
import { PrometheusExporter } from '../src/index.js';
import type { OgfError, PrometheusExporterOptions } from '../src/index.js';

const TEXT_PARSER = String.raw`
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
def num(v):
    if isinstance(v, float):
        if math.isnan(v): return 'NaN'
        if math.isinf(v): return '+Inf' if v > 0 else '-Inf'
    return repr(v)
text = sys.stdin.buffer.read().decode('utf-8')
try:
    out = [{'name': f.name, 'type': f.type, 'help': f.documentation, 'unit': f.unit,
            'samples': [{'name': s.name, 'labels': s.labels, 'value': num(s.value), 'timestamp': None, 'exemplar': None}
                        for s in f.samples]} for f in text_string_to_metric_families(text)]
    json.dump({'ok': True, 'families': out}, sys.stdout)
except Exception as e:
    json.dump({'ok': False, 'error': '%s: %s' % (type(e).__name__, e)}, sys.stdout)
`;

/** Reads a text 0.0.4 exposition back with the Python client's parser (counters lose `_total` in the family name). */
export function parseText(exposition: string): ParsedFamily[] {
  const run = spawnSync('/usr/bin/python3', ['-c', TEXT_PARSER], { input: exposition, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (run.error || run.status !== 0) throw new Error(`python3 with prometheus_client is required: ${run.error?.message ?? run.stderr}`);
  const result = JSON.parse(run.stdout) as { ok: boolean; error?: string; families?: ParsedFamily[] };
  if (!result.ok) throw new Error(`invalid text exposition: ${result.error}\n${exposition.slice(0, 2000)}`);
  return result.families ?? [];
}

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
  return { text, om, textFamilies: parseText(text), omFamilies: parseOpenMetrics(om) };
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
