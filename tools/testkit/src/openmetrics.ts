import { spawnSync } from 'node:child_process';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  /** Numbers as text so NaN and ±Inf survive the trip through JSON: 'NaN', '+Inf', '-Inf' or a decimal. */
  value: string;
  timestamp: string | null;
  /** `timestamp` is the exemplar's time in seconds as text, or null when it has none. */
  exemplar: { labels: Record<string, string>; value: string; timestamp: string | null } | null;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  unit: string;
  samples: ParsedSample[];
}

// The reference parsers are the Python client's: the OpenMetrics one is strict (it rejects a missing
// `# EOF`, bad escapes, misplaced suffixes and out-of-order samples); the text 0.0.4 one reads an
// exposition back the way a scraper does. We run Debian's python3 explicitly because the package
// python3-prometheus-client installs there, not into pyenv interpreters.
const parserScript = (module: string): string => String.raw`
import json, math, sys
from ${module} import text_string_to_metric_families
def num(v):
    if v is None: return None
    if isinstance(v, float):
        if math.isnan(v): return 'NaN'
        if math.isinf(v): return '+Inf' if v > 0 else '-Inf'
    return repr(v)
text = sys.stdin.buffer.read().decode('utf-8')
try:
    out = []
    for f in text_string_to_metric_families(text):
        out.append({'name': f.name, 'type': f.type, 'help': f.documentation, 'unit': f.unit,
          'samples': [{'name': s.name, 'labels': s.labels, 'value': num(s.value),
            'timestamp': None if s.timestamp is None else str(s.timestamp),
            'exemplar': None if s.exemplar is None else {'labels': s.exemplar.labels, 'value': num(s.exemplar.value),
              'timestamp': None if s.exemplar.timestamp is None else str(s.exemplar.timestamp)}}
            for s in f.samples]})
    json.dump({'ok': True, 'families': out}, sys.stdout)
except Exception as e:
    json.dump({'ok': False, 'error': '%s: %s' % (type(e).__name__, e)}, sys.stdout)
`;

const PYTHON = '/usr/bin/python3';

/**
 * Parses an OpenMetrics 1.0.0 exposition with the strict reference parser, then holds every
 * exemplar to the spec where that parser is lenient (see `checkExemplars`). Throws with the reason
 * when the text is invalid.
 */
export function parseOpenMetrics(exposition: string): ParsedFamily[] {
  const families = runParser('prometheus_client.openmetrics.parser', exposition, 'OpenMetrics');
  const problem = checkExemplars(families);
  if (problem !== undefined) throw new Error(`invalid OpenMetrics: ${problem}\n--- exposition ---\n${exposition.slice(0, 4000)}`);
  return families;
}

const EXEMPLAR_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * What the reference parser already enforces about exemplars: where they may appear (histogram
 * buckets, counter `_total`), at most 128 label characters, a parsable value and timestamp. What
 * this adds: valid label names, a finite value, a finite timestamp, and a bucket's exemplar value
 * within that bucket (above the previous bucket's `le`, at most its own). Returns the first
 * problem, or undefined.
 */
export function checkExemplars(families: readonly ParsedFamily[]): string | undefined {
  for (const family of families) {
    let previousLe = -Infinity;
    let previousSeries = '';
    for (const sample of family.samples) {
      const { le, ...rest } = sample.labels;
      const series = JSON.stringify(rest);
      if (sample.name.endsWith('_bucket') && series !== previousSeries) previousLe = -Infinity;
      const exemplar = sample.exemplar;
      if (exemplar !== null) {
        const where = `${sample.name}${JSON.stringify(sample.labels)}`;
        const length = Object.entries(exemplar.labels).reduce((n, [k, v]) => n + [...k].length + [...v].length, 0);
        if (length > 128) return `exemplar of ${where} has ${length} label characters (max 128)`;
        const badName = Object.keys(exemplar.labels).find((name) => !EXEMPLAR_LABEL.test(name));
        if (badName !== undefined) return `exemplar of ${where} has an invalid label name ${JSON.stringify(badName)}`;
        if (!NUMBER.test(exemplar.value)) return `exemplar of ${where} has a non-finite value ${exemplar.value}`;
        if (exemplar.timestamp !== null && !Number.isFinite(Number(exemplar.timestamp))) {
          return `exemplar of ${where} has an invalid timestamp ${exemplar.timestamp}`;
        }
        if (sample.name.endsWith('_bucket') && le !== undefined) {
          const value = Number(exemplar.value);
          const bound = le === '+Inf' ? Infinity : Number(le);
          if (!(value <= bound && value > previousLe)) {
            return `exemplar of ${where} has value ${exemplar.value}, outside the bucket (${previousLe}, ${le}]`;
          }
        }
      }
      if (sample.name.endsWith('_bucket') && le !== undefined) {
        previousLe = le === '+Inf' ? Infinity : Number(le);
        previousSeries = series;
      }
    }
  }
  return undefined;
}

/**
 * Reads a Prometheus text 0.0.4 exposition back with the Python client's parser (a counter's family
 * name loses `_total`, as the client reports it). Throws when the text cannot be parsed.
 */
export function parsePrometheusText(exposition: string): ParsedFamily[] {
  return runParser('prometheus_client.parser', exposition, 'text 0.0.4');
}

function runParser(module: string, exposition: string, format: string): ParsedFamily[] {
  const run = spawnSync(PYTHON, ['-c', parserScript(module)], {
    input: exposition,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.error || run.status !== 0) {
    throw new Error(`the ${format} parser needs Debian's python3 with python3-prometheus-client: ${run.error?.message ?? run.stderr}`);
  }
  const result = JSON.parse(run.stdout) as { ok: boolean; error?: string; families?: ParsedFamily[] };
  if (!result.ok) {
    throw new Error(`invalid ${format}: ${result.error}\n--- exposition ---\n${exposition.slice(0, 4000)}`);
  }
  return result.families ?? [];
}
