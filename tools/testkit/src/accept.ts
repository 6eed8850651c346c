// The Accept headers every metrics endpoint must answer alike (@ogf/core's negotiateFormat, the
// exporter's handler, the status app's /metrics): one table, run against each of them.

/** [Accept header, the format it must get]. */
export const ACCEPT_CASES: readonly (readonly [accept: string | null, format: 'text' | 'openmetrics'])[] = [
  [null, 'text'],
  ['', 'text'],
  ['*/*', 'text'],
  ['text/plain', 'text'],
  ['text/plain;version=0.0.4', 'text'],
  ['application/openmetrics-text', 'openmetrics'],
  ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
  ['APPLICATION/OPENMETRICS-TEXT; Version="1.0.0"', 'openmetrics'],
  // What Prometheus 2.x sends.
  [
    'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    'openmetrics',
  ],
  // What Prometheus 3.x sends.
  ['application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
  // What Prometheus sends with OpenMetrics disabled.
  ['text/plain;version=0.0.4;q=1,*/*;q=0.1', 'text'],
  ['application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3', 'openmetrics'],
  ['application/openmetrics-text;q=0.3,text/plain;q=0.5', 'text'],
  // Equal q, equally specific: the earlier range wins.
  ['text/plain;q=0.5, application/openmetrics-text;q=0.5', 'text'],
  ['application/openmetrics-text;q=0.5, text/plain;q=0.5', 'openmetrics'],
  // Equal q: the more specific range wins.
  ['application/openmetrics-text;q=0.5, */*;q=0.5', 'openmetrics'],
  ['*/*;q=0.5, application/openmetrics-text;q=0.5', 'openmetrics'],
  ['text/plain;q=0.5, application/*;q=0.5', 'text'],
  // q=0 means "not acceptable", and the most specific range decides a format's q.
  ['application/openmetrics-text;q=0', 'text'],
  ['application/openmetrics-text;q=0, */*', 'text'],
  ['text/plain;q=0, application/openmetrics-text;q=0.1', 'openmetrics'],
  ['text/plain;q=0, */*', 'openmetrics'],
  // Partial wildcards match their type.
  ['application/*', 'openmetrics'],
  ['application/*;q=0.9, text/*;q=0.8', 'openmetrics'],
  ['text/*;q=0.9, application/*;q=0.8', 'text'],
  // A version we do not speak does not count as accepting that format.
  ['application/openmetrics-text;version=0.0.1', 'text'],
  ['application/openmetrics-text;version=2.0.0, text/plain;q=0.1', 'text'],
  ['text/plain;version=1.0.0, application/openmetrics-text;q=0.1', 'openmetrics'],
  ['application/json', 'text'],
  // Malformed ranges are ignored; the well-formed rest still counts.
  ['garbage', 'text'],
  ['application/openmetrics-text;q=2', 'text'],
  ['application/openmetrics-text;q=abc', 'text'],
  ['application/openmetrics-text;q=1.5, text/plain;q=0.1', 'text'],
  ['application/openmetrics-text;novalue', 'text'],
  ['application/openmetrics-text;q=0.9, text/plain;q=5', 'openmetrics'],
  ['text/plain;q=0.1, ;;;garbage, application/openmetrics-text;q=0.2', 'openmetrics'],
  ['/', 'text'],
  ['a/b/c', 'text'],
  ['*/plain', 'text'],
  [';;;,,,=q', 'text'],
  // Over-long headers are not parsed.
  [`application/openmetrics-text,${'x'.repeat(5000)}`, 'text'],
];
