// The "Capacity and anomalies" dashboard row: the anomaly z-scores of deploy/prometheus/rules/
// anomalies.yml with their bands, workers needed (Little's law) against workers running, and the
// backlog and queue-wait forecasts of capacity.yml. Recorded series, filtered by the job variable.
import { metricDefinition } from '@ogf/metrics';
import { JOB_SELECTOR } from './promql.ts';
import type { PanelSpec, SectionSpec } from './sections.ts';

/** The z-score above which (or below minus which) the anomaly alerts fire. */
const Z_THRESHOLD = 3;

const signal = (name: string): string => `{signal="${name}", job=~"$job"}`;
const recorded = (series: string): string => `sum(${series}${JOB_SELECTOR})`;

/** One anomaly signal now, against its one-day mean and the ±3 spread band the z-score measures. */
function bandPanel(name: string, title: string, unit: string, what: string): PanelSpec {
  const s = signal(name);
  return {
    kind: 'timeseries',
    title,
    description: `${what} (\`job:batch_signal:rate5m\`), its mean over the last day, and the band of ±${Z_THRESHOLD} spreads around it (\`job:batch_signal:spread1d\`: the standard deviation, floored). Outside the band is an anomaly (z-score beyond ±${Z_THRESHOLD}).`,
    unit,
    width: 6,
    targets: [
      { expr: `job:batch_signal:rate5m${s}`, legend: 'now {{job}}' },
      { expr: `job:batch_signal:avg1d${s}`, legend: 'mean (1 day)' },
      { expr: `job:batch_signal:avg1d${s} + ${Z_THRESHOLD} * job:batch_signal:spread1d${s}`, legend: `+${Z_THRESHOLD} spreads` },
      {
        expr: `clamp_min(job:batch_signal:avg1d${s} - ${Z_THRESHOLD} * job:batch_signal:spread1d${s}, 0)`,
        legend: `−${Z_THRESHOLD} spreads`,
      },
    ],
    min: 0,
  };
}

const workersCapacity = metricDefinition('workers.capacity').prometheusName;

export const capacityAndAnomalies: SectionSpec = {
  title: 'Capacity and anomalies',
  panels: [
    {
      kind: 'timeseries',
      title: 'Anomaly z-scores',
      description: `How far p95 batch duration, failure ratio and throughput are from their mean of the last day, in spreads (\`job:batch_signal:zscore1d\`). The anomaly alerts fire beyond ±${Z_THRESHOLD} for 10 to 15 minutes.`,
      unit: 'short',
      width: 6,
      targets: [
        { expr: `job:batch_signal:zscore1d${JOB_SELECTOR}`, legend: '{{signal}} {{job}}' },
        { expr: `vector(${Z_THRESHOLD})`, legend: `+${Z_THRESHOLD}` },
        { expr: `vector(-${Z_THRESHOLD})`, legend: `−${Z_THRESHOLD}` },
      ],
    },
    bandPanel('duration_p95', 'p95 batch duration vs its day', 's', 'p95 batch processing time over 5 minutes'),
    bandPanel('failure_ratio', 'Batch failure ratio vs its day', 'percentunit', 'Share of finished batches that failed, over 5 minutes'),
    bandPanel('throughput', 'Throughput vs its day', 'ops', 'Batches finished per second, over 5 minutes'),
    {
      kind: 'timeseries',
      title: 'Workers needed vs running',
      description: `Worker slots needed by Little's law (arrivals × mean processing time ÷ 0.7 target utilisation, \`job:workers_needed:rate5m\`), the same plus draining the backlog forecast 15 minutes ahead (\`job:workers_needed:forecast15m\`, what the autoscaler scales on), and the slots running (\`${workersCapacity}\`).`,
      unit: 'short',
      width: 8,
      targets: [
        { expr: recorded('job:workers_needed:rate5m'), legend: 'needed now' },
        { expr: recorded('job:workers_needed:forecast15m'), legend: 'needed, with the backlog forecast' },
        { expr: `sum(${workersCapacity}${JOB_SELECTOR})`, legend: 'running' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Backlog and forecast',
      description:
        "Batches waiting for a worker (`job:batch_queue_waiting:max`: BullMQ waiting jobs, max over the processes reporting the queue, or the single process' queue_size) and the linear forecast 15 minutes ahead.",
      unit: 'short',
      width: 8,
      targets: [
        { expr: recorded('job:batch_queue_waiting:max'), legend: 'waiting now' },
        { expr: recorded('job:batch_queue_waiting:predict_linear15m'), legend: 'forecast +15 min' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Queue wait forecast',
      description:
        "The queue wait 15 minutes ahead (`job:batch_queue_wait_seconds:forecast15m`: the oldest waiting job's age forecast with BullMQ, else the backlog forecast ÷ throughput). Objective: 10 minutes (QueueWaitForecastBreach).",
      unit: 's',
      width: 8,
      targets: [{ expr: `max(job:batch_queue_wait_seconds:forecast15m${JOB_SELECTOR})`, legend: 'forecast +15 min' }],
      thresholds: [{ value: 600, color: 'red' }],
      min: 0,
    },
  ],
};
