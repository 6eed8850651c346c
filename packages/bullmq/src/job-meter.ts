// BullMQ's `meter` interface on an OpenTelemetry Meter. BullMQ (≥ 6) records its job counters
// (`bullmq.jobs.completed`, `.failed`, `.delayed`, `.retried`, `.waiting`, `.waiting_children`)
// and `bullmq.job.duration` in milliseconds through it, with a new attributes object per call;
// we record that histogram in seconds (Prometheus `bullmq_job_duration_seconds`) with buckets that
// fit jobs. Its push-style gauge `bullmq.queue.jobs` (from `queue.recordJobCountsMetric()`) is left
// out: `observe(queue)` reads the same counts at collect time under the same name.
//
// Per job, BullMQ makes one counter and one histogram call. The counters are summed here, in a
// map per attribute set, and reported through an observable counter at collect time (the same
// monotonic sums, so the same `_total` series); the histogram gets one attributes object per
// attribute set, so the SDK and the exemplar reservoir see a stable object.
import type { Attributes as OtelAttributes, Meter as OtelMeter, ObservableResult } from '@opentelemetry/api';
import type { Counter, Gauge, Histogram, Meter, MetricOptions } from 'bullmq';
import { createAttributeSets, interned, OVERFLOW } from './job-attributes.js';

/** Job duration buckets in seconds: 5 ms to 10 min. */
export const JOB_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

const NOOP: Gauge & Counter & Histogram = { add: () => undefined, record: () => undefined };

/** A counter summed in memory and observed at collect time. */
function summedCounter(meter: OtelMeter, name: string, description: string): Counter {
  // Per instrument, as the SDK's cardinality limit is.
  const sets = createAttributeSets();
  const sums = new Map<OtelAttributes, number>();
  // BullMQ says unit '1'; Prometheus counters of events carry no unit.
  meter.createObservableCounter(name, { description, unit: '{job}' }).addCallback((result: ObservableResult) => {
    for (const [attributes, sum] of sums) result.observe(sum, attributes);
  });
  return {
    add(value, attributes) {
      // What the SDK's counter drops (negative or not a number) is dropped here too.
      if (typeof value !== 'number' || !(value >= 0) || value === Infinity) return;
      // Past the cardinality limit, sums go to the overflow series, as the SDK's counters do.
      const key = interned(sets, attributes) ?? OVERFLOW;
      sums.set(key, (sums.get(key) ?? 0) + value);
    },
  };
}

/** BullMQ's Meter on `meter`; instruments are made once per name. */
export function createJobMeter(meter: OtelMeter): Meter {
  const counters = new Map<string, Counter>();
  const histograms = new Map<string, Histogram>();
  const gauges = new Map<string, Gauge>();
  return {
    createCounter(name: string, options?: MetricOptions): Counter {
      let counter = counters.get(name);
      if (counter === undefined) {
        counter = summedCounter(meter, name, options?.description ?? name);
        counters.set(name, counter);
      }
      return counter;
    },
    createHistogram(name: string, options?: MetricOptions): Histogram {
      let histogram = histograms.get(name);
      if (histogram === undefined) {
        const inMs = options?.unit === 'ms';
        const sets = createAttributeSets();
        const otel = meter.createHistogram(name, {
          description: options?.description ?? name,
          unit: inMs ? 's' : (options?.unit ?? ''),
          ...(inMs ? { advice: { explicitBucketBoundaries: [...JOB_DURATION_BUCKETS] } } : {}),
        });
        histogram = inMs
          ? { record: (value, attributes) => otel.record(value / 1000, interned(sets, attributes) ?? attributes) }
          : { record: (value, attributes) => otel.record(value, interned(sets, attributes) ?? attributes) };
        histograms.set(name, histogram);
      }
      return histogram;
    },
    createGauge(name: string, options?: MetricOptions): Gauge {
      if (name === 'bullmq.queue.jobs') return NOOP;
      let gauge = gauges.get(name);
      if (gauge === undefined) {
        const otel = meter.createGauge(name, { description: options?.description ?? name, unit: options?.unit ?? '' });
        gauge = { record: (value, attributes) => otel.record(value, attributes) };
        gauges.set(name, gauge);
      }
      return gauge;
    },
  };
}
