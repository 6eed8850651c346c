// BullMQ's `meter` interface on an OpenTelemetry Meter. BullMQ (≥ 6) records its job counters
// (`bullmq.jobs.completed`, `.failed`, `.delayed`, `.retried`, `.waiting`, `.waiting_children`)
// and `bullmq.job.duration` in milliseconds through it; we record that histogram in seconds
// (Prometheus `bullmq_job_duration_seconds`) with buckets that fit jobs. Its push-style gauge
// `bullmq.queue.jobs` (from `queue.recordJobCountsMetric()`) is left out: `observe(queue)` reads the
// same counts at collect time under the same name.
import type { Attributes as OtelAttributes, Meter as OtelMeter } from '@opentelemetry/api';
import type { Attributes, Counter, Gauge, Histogram, Meter, MetricOptions } from 'bullmq';

/** Job duration buckets in seconds: 5 ms to 10 min. */
export const JOB_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

const NOOP: Gauge & Counter & Histogram = { add: () => undefined, record: () => undefined };

function clean(attributes: Attributes | undefined): OtelAttributes | undefined {
  return attributes;
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
        // BullMQ says unit '1'; Prometheus counters of events carry no unit.
        const otel = meter.createCounter(name, { description: options?.description ?? name, unit: '{job}' });
        counter = { add: (value, attributes) => otel.add(value, clean(attributes)) };
        counters.set(name, counter);
      }
      return counter;
    },
    createHistogram(name: string, options?: MetricOptions): Histogram {
      let histogram = histograms.get(name);
      if (histogram === undefined) {
        const inMs = options?.unit === 'ms';
        const otel = meter.createHistogram(name, {
          description: options?.description ?? name,
          unit: inMs ? 's' : (options?.unit ?? ''),
          ...(inMs ? { advice: { explicitBucketBoundaries: [...JOB_DURATION_BUCKETS] } } : {}),
        });
        histogram = inMs
          ? { record: (value, attributes) => otel.record(value / 1000, clean(attributes)) }
          : { record: (value, attributes) => otel.record(value, clean(attributes)) };
        histograms.set(name, histogram);
      }
      return histogram;
    },
    createGauge(name: string, options?: MetricOptions): Gauge {
      if (name === 'bullmq.queue.jobs') return NOOP;
      let gauge = gauges.get(name);
      if (gauge === undefined) {
        const otel = meter.createGauge(name, { description: options?.description ?? name, unit: options?.unit ?? '' });
        gauge = { record: (value, attributes) => otel.record(value, clean(attributes)) };
        gauges.set(name, gauge);
      }
      return gauge;
    },
  };
}
