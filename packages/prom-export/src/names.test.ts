import { describe, expect, it } from 'vitest';
import type { MetricKind } from '@ogf/core';
import { prometheusLabelName, prometheusMetricName, prometheusUnit } from './names.js';

// Our own table, after the OTel compatibility spec and the cases prometheus/otlptranslator tests.
const metricNames: [name: string, unit: string, kind: MetricKind, expected: string][] = [
  ['simple_metric', '', 'gauge', 'simple_metric'],
  ['metric@with#special$chars', '', 'gauge', 'metric_with_special_chars'],
  ['metric@@##$$name', '', 'gauge', 'metric_name'],
  [
    'metric__with__multiple__underscores',
    'unit__multiple__underscores',
    'gauge',
    'metric_with_multiple_underscores_unit_multiple_underscores',
  ],
  ['123metric', '', 'gauge', '_123metric'],
  ['(lambda).function.executions(#)', '', 'gauge', 'lambda_function_executions'],
  ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
  ['http.request.duration', 'ms', 'histogram', 'http_request_duration_milliseconds'],
  ['requests', '', 'counter', 'requests_total'],
  ['requests_total', '', 'counter', 'requests_total'],
  ['requests.total.total', '', 'counter', 'requests_total'],
  ['http.requests', '1', 'counter', 'http_requests_total'],
  ['items', '1', 'counter', 'items_total'],
  ['queue.size', '1', 'updowncounter', 'queue_size'],
  ['cpu_usage', '1', 'gauge', 'cpu_usage_ratio'],
  ['cpu_usage_ratio', '1', 'gauge', 'cpu_usage_ratio'],
  ['response_time', 'ms', 'gauge', 'response_time_milliseconds'],
  ['response_time_seconds', 's', 'gauge', 'response_time_seconds'],
  ['cpu_seconds_total', 's', 'counter', 'cpu_seconds_total'],
  ['cpu.time', 's', 'counter', 'cpu_time_seconds_total'],
  ['memory_usage', 'By', 'gauge', 'memory_usage_bytes'],
  ['requests', '1/s', 'gauge', 'requests_per_second'],
  ['requests', '1/s', 'counter', 'requests_per_second_total'],
  ['throughput', 'By/s', 'gauge', 'throughput_bytes_per_second'],
  ['custom_metric', 'custom_unit', 'gauge', 'custom_metric_custom_unit'],
  ['custom_metric', '{custom}', 'gauge', 'custom_metric'],
  ['custom_metric', 'By/{custom}', 'gauge', 'custom_metric_bytes'],
  ['custom_metric', 'unit@with#special/chars', 'gauge', 'custom_metric_unit_with_special_per_chars'],
  ['system.network.dropped', '{packets}', 'counter', 'system_network_dropped_total'],
  ['metric', 'By/', 'gauge', 'metric_bytes'],
  ['metric', ' By / s ', 'gauge', 'metric_bytes_per_second'],
  ['metric', '/', 'gauge', 'metric'],
  ['uptime', 'd', 'gauge', 'uptime_days'],
  ['duration', 'h', 'gauge', 'duration_hours'],
  ['timeout', 'min', 'gauge', 'timeout_minutes'],
  ['latency', 'us', 'gauge', 'latency_microseconds'],
  ['precision_time', 'ns', 'gauge', 'precision_time_nanoseconds'],
  ['cache_size', 'KiBy', 'gauge', 'cache_size_kibibytes'],
  ['transfer', 'MBy', 'gauge', 'transfer_megabytes'],
  ['distance', 'm', 'gauge', 'distance_meters'],
  ['voltage', 'V', 'gauge', 'voltage_volts'],
  ['weight', 'g', 'gauge', 'weight_grams'],
  ['temperature', 'Cel', 'gauge', 'temperature_celsius'],
  ['frequency', 'Hz', 'gauge', 'frequency_hertz'],
  ['cpu_usage', '%', 'gauge', 'cpu_usage_percent'],
  ['requests', '1/m', 'gauge', 'requests_per_minute'],
  ['invoices', '1/mo', 'gauge', 'invoices_per_month'],
  ['custom', '1/custom_unit', 'gauge', 'custom_per_custom_unit'],
  // Our catalog (DESIGN.md).
  ['batch.submitted', '', 'counter', 'batch_submitted_total'],
  ['batch.submit.duration', 's', 'histogram', 'batch_submit_duration_seconds'],
  ['batch.processing', '{batch}', 'updowncounter', 'batch_processing'],
  ['emissions', 'g', 'counter', 'emissions_grams_total'],
  ['emissions.avg.batch', 'g', 'histogram', 'emissions_avg_batch_grams'],
  // Other mass units map too, though promtool lints anything but grams.
  ['mass', 'kg', 'counter', 'mass_kilograms_total'],
  ['batch.last_success.timestamp', 's', 'gauge', 'batch_last_success_timestamp_seconds'],
  ['ogf.metrics.dropped', '', 'counter', 'ogf_metrics_dropped_total'],
  // A unit must end the name, not merely appear in it.
  ['seconds_before_birthday', 's', 'gauge', 'seconds_before_birthday_seconds'],
  // Nothing valid left: no name at all (the exporter drops and reports such a metric).
  ['@#$%', '', 'gauge', ''],
  ['...', '', 'counter', ''],
  // Colons are reserved for recording rules; promtool flags them in exposed names.
  ['ns:metric', '', 'gauge', 'ns_metric'],
];

const units: [unit: string, kind: MetricKind, expected: string][] = [
  ['s', 'histogram', 'seconds'],
  ['kg', 'counter', 'kilograms'],
  ['ms', 'gauge', 'milliseconds'],
  ['By', 'gauge', 'bytes'],
  ['1', 'gauge', 'ratio'],
  ['1', 'counter', ''],
  ['1', 'updowncounter', ''],
  ['1', 'histogram', ''],
  ['{batch}', 'counter', ''],
  ['{request}/s', 'gauge', 'per_second'],
  ['By/s', 'gauge', 'bytes_per_second'],
  ['kg/h', 'gauge', 'kilograms_per_hour'],
  ['', 'gauge', ''],
];

const labels: [key: string, expected: string][] = [
  ['http.method', 'http_method'],
  ['label:with:colons', 'label_with_colons'],
  ['LabelWithCapitalLetters', 'LabelWithCapitalLetters'],
  ['label!with&special$chars)', 'label_with_special_chars_'],
  ['label.with.dots', 'label_with_dots'],
  ['123label', 'key_123label'],
  ['_label_starting_with_underscore', '_label_starting_with_underscore'],
  // `__` is reserved for Prometheus itself; collapsing runs of `_` (the spec's rule) removes it.
  ['__label_starting_with_2underscores', '_label_starting_with_2underscores'],
  ['__name__', '_name_'],
  ['label_with_foreign_characters_字符', 'label_with_foreign_characters_'],
  ['ようこそ', '_'],
  ['', ''],
];

describe('prometheusMetricName', () => {
  it.each(metricNames)('maps %j with unit %j (%s) to %j', (name, unit, kind, expected) => {
    expect(prometheusMetricName({ name, unit, kind })).toBe(expected);
  });

  it('puts the unit before the type suffix and adds _total exactly once', () => {
    const name = prometheusMetricName({ name: 'energy_total', unit: 'J', kind: 'counter' });
    expect(name).toBe('energy_joules_total');
    expect(name.match(/_total/g)).toHaveLength(1);
  });
});

describe('prometheusUnit', () => {
  it.each(units)('maps %j (%s) to %j', (unit, kind, expected) => {
    expect(prometheusUnit(unit, kind)).toBe(expected);
  });

  // Found by the property test: an object-literal lookup answered `toString` with Object.prototype's.
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 's/toString'])(
    'treats the unit %j as a plain word, never as an inherited property',
    (unit) => {
      expect(prometheusUnit(unit, 'counter')).toMatch(/^[a-zA-Z0-9_]*$/);
      expect(prometheusMetricName({ name: 'jobs', unit, kind: 'counter' })).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*_total$/);
    },
  );
});

describe('prometheusLabelName', () => {
  it.each(labels)('maps %j to %j', (key, expected) => {
    expect(prometheusLabelName(key)).toBe(expected);
  });

  it('never produces a name that starts with __ or a digit', () => {
    for (const key of ['__x', '___', '9lives', '._.', '-__-', '0']) {
      const name = prometheusLabelName(key);
      expect(name.startsWith('__')).toBe(false);
      expect(name).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
    }
  });
});
