// What the dashboard shows: OffGridFlow's five sections, each a list of panels whose queries are
// built from the metric catalog (src/promql.ts). src/dashboard.ts turns this into Grafana JSON.
import { metricDefinition } from '@ogf/metrics';
import type { MetricName } from '@ogf/metrics';
import { capacityAndAnomalies } from './capacity-section.ts';
import {
  counterIncrease,
  counterRate,
  counterShare,
  gaugeSum,
  grafanaUnit,
  histogramMean,
  histogramQuantile,
  orZero,
  queuedBatches,
  secondsSince,
} from './promql.ts';

export interface TargetSpec {
  expr: string;
  legend: string;
}

export interface PanelSpec {
  kind: 'timeseries' | 'stat';
  title: string;
  description: string;
  unit: string;
  targets: TargetSpec[];
  /** Grid columns out of 24. */
  width: number;
  /** Colour steps: green below the first value, then each colour from its value up. */
  thresholds?: { value: number; color: 'yellow' | 'orange' | 'red' }[];
  /** Colour steps read the other way: red below the first value (for "higher is better"). */
  thresholdsBelow?: { value: number; color: 'green' | 'yellow' }[];
  min?: number;
  max?: number;
}

export interface SectionSpec {
  title: string;
  panels: PanelSpec[];
}

const QUANTILES = [0.5, 0.95, 0.99] as const;

const describe = (name: MetricName, extra = ''): string =>
  `${metricDefinition(name).description}${extra ? ` ${extra}` : ''} (\`${metricDefinition(name).prometheusName}\`)`;

/** p50/p95/p99 of one histogram as one time-series panel. */
function percentilePanel(name: MetricName, title: string, extra: string, thresholdSeconds?: number): PanelSpec {
  const panel: PanelSpec = {
    kind: 'timeseries',
    title,
    description: describe(name, extra),
    unit: grafanaUnit(metricDefinition(name)),
    width: 12,
    targets: QUANTILES.map((q) => ({ expr: histogramQuantile(name, q), legend: `p${Math.round(q * 100)}` })),
    min: 0,
  };
  if (thresholdSeconds !== undefined) panel.thresholds = [{ value: thresholdSeconds, color: 'red' }];
  return panel;
}

const batchOverview: SectionSpec = {
  title: 'Batch overview',
  panels: [
    {
      kind: 'stat',
      title: 'Activity success rate',
      description: `Succeeded / finished activities over the rate window: OffGridFlow's success_rate. SLO: at least 98 %. (${metricDefinition('activity.success').prometheusName}, ${metricDefinition('activity.failed').prometheusName})`,
      unit: 'percentunit',
      width: 6,
      targets: [{ expr: counterShare('activity.success', 'activity.failed'), legend: 'success rate' }],
      thresholdsBelow: [
        { value: 0.95, color: 'yellow' },
        { value: 0.98, color: 'green' },
      ],
      min: 0,
      max: 1,
    },
    {
      kind: 'stat',
      title: 'Batches submitted',
      description: describe('batch.submitted', 'Over the selected time range.'),
      unit: 'short',
      width: 6,
      targets: [{ expr: counterIncrease('batch.submitted'), legend: 'submitted' }],
    },
    {
      kind: 'stat',
      title: 'Batches processing / queued',
      description: `${describe('batch.processing')} ${describe('queue.size')} With BullMQ, queued is the shared queue's waiting + prioritized jobs (max over the processes that read it).`,
      unit: 'short',
      width: 6,
      targets: [
        { expr: gaugeSum('batch.processing'), legend: 'processing' },
        { expr: queuedBatches(), legend: 'queued' },
      ],
    },
    {
      kind: 'stat',
      title: 'Since the last successful batch',
      description: describe(
        'batch.last_success.timestamp',
        'Shown as the time since then; the BatchNoRecentSuccess alert fires after an hour while work waits.',
      ),
      unit: 's',
      width: 6,
      targets: [{ expr: secondsSince('batch.last_success.timestamp'), legend: 'since last success' }],
      thresholds: [
        { value: 900, color: 'yellow' },
        { value: 3600, color: 'red' },
      ],
    },
    {
      kind: 'timeseries',
      title: 'Batch throughput',
      description: 'Batches submitted, completed, failed and cancelled per second.',
      unit: 'ops',
      width: 12,
      targets: [
        { expr: counterRate('batch.submitted'), legend: 'submitted' },
        { expr: orZero(counterRate('batch.completed')), legend: 'completed' },
        { expr: orZero(counterRate('batch.failed')), legend: 'failed' },
        { expr: orZero(counterRate('batch.cancelled')), legend: 'cancelled' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Activity throughput',
      description: 'Activities processed, succeeded and failed per second.',
      unit: 'ops',
      width: 12,
      targets: [
        { expr: counterRate('activity'), legend: 'processed' },
        { expr: orZero(counterRate('activity.success')), legend: 'succeeded' },
        { expr: orZero(counterRate('activity.failed')), legend: 'failed' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'State transitions',
      description: describe('batch.state.transitions', 'Per second.'),
      unit: 'ops',
      width: 12,
      targets: [{ expr: counterRate('batch.state.transitions', ['from', 'to']), legend: '{{from}} → {{to}}' }],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Activities per batch',
      description: describe('batch.size', 'p50 and p95.'),
      unit: 'short',
      width: 12,
      targets: [
        { expr: histogramQuantile('batch.size', 0.5), legend: 'p50' },
        { expr: histogramQuantile('batch.size', 0.95), legend: 'p95' },
      ],
      min: 0,
    },
  ],
};

const workerPool: SectionSpec = {
  title: 'Worker pool utilisation',
  panels: [
    {
      kind: 'timeseries',
      title: 'Worker utilisation',
      description: `Busy worker slots / all slots (${metricDefinition('workers.active').prometheusName} / ${metricDefinition('workers.capacity').prometheusName}). WorkersSaturated fires at 90 % for 10 minutes while batches wait.`,
      unit: 'percentunit',
      width: 12,
      targets: [{ expr: `${gaugeSum('workers.active')} / ${gaugeSum('workers.capacity')}`, legend: 'utilisation' }],
      thresholds: [{ value: 0.9, color: 'red' }],
      min: 0,
      max: 1,
    },
    {
      kind: 'timeseries',
      title: 'Workers and queue',
      description: `${describe('workers.active')} ${describe('workers.capacity')} ${describe('queue.size')} With BullMQ, queued is the shared queue's waiting + prioritized jobs (max over the processes that read it).`,
      unit: 'short',
      width: 12,
      targets: [
        { expr: gaugeSum('workers.active'), legend: 'active' },
        { expr: gaugeSum('workers.capacity'), legend: 'capacity' },
        { expr: queuedBatches(), legend: 'queued' },
        // The raw per-process counter of the in-memory queue (0 with BullMQ), next to the backlog that covers both.
        { expr: gaugeSum('queue.size'), legend: 'queue_size (in-memory queues)' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Worker task and idle time',
      description: `${describe('worker.task.duration')} ${describe('worker.idle.duration')} p95 of each.`,
      unit: 's',
      width: 12,
      targets: [
        { expr: histogramQuantile('worker.task.duration', 0.95), legend: 'task p95' },
        { expr: histogramQuantile('worker.idle.duration', 0.95), legend: 'idle p95' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Queue wait',
      description: describe('queue.wait.duration', 'p50 and p95.'),
      unit: 's',
      width: 12,
      targets: [
        { expr: histogramQuantile('queue.wait.duration', 0.5), legend: 'p50' },
        { expr: histogramQuantile('queue.wait.duration', 0.95), legend: 'p95' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Lock acquisitions and timeouts',
      description: `${describe('lock.acquisitions')} ${describe('lock.timeouts')} Per second.`,
      unit: 'ops',
      width: 12,
      targets: [
        { expr: counterRate('lock.acquisitions', ['lock']), legend: 'acquired {{lock}}' },
        { expr: orZero(counterRate('lock.timeouts')), legend: 'timed out' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Lock wait',
      description: describe(
        'lock.wait.duration',
        'p95 by lock, and the share of lock attempts that timed out (LockTimeoutsRising fires above 5 %).',
      ),
      unit: 's',
      width: 12,
      targets: [
        { expr: histogramQuantile('lock.wait.duration', 0.95, ['lock']), legend: 'wait p95 {{lock}}' },
        { expr: counterShare('lock.timeouts', 'lock.acquisitions'), legend: 'timeout share' },
      ],
      min: 0,
    },
  ],
};

const errors: SectionSpec = {
  title: 'Error rates and types',
  panels: [
    {
      kind: 'timeseries',
      title: 'Errors by type',
      description: describe('batch.errors', 'Per second.'),
      unit: 'ops',
      width: 12,
      targets: [{ expr: counterRate('batch.errors', ['error_type']), legend: '{{error_type}}' }],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Failed batches by error type',
      description: describe('batch.failed', 'Per second.'),
      unit: 'ops',
      width: 12,
      targets: [{ expr: orZero(counterRate('batch.failed', ['error_type'])), legend: '{{error_type}}' }],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Activity failure rate',
      description: `Failed / finished activities. The SLO's error budget is 2 %. (${metricDefinition('activity.failed').prometheusName})`,
      unit: 'percentunit',
      width: 8,
      targets: [{ expr: counterShare('activity.failed', 'activity.success'), legend: 'failure rate' }],
      thresholds: [{ value: 0.02, color: 'red' }],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Retries',
      description: `${describe('batch.retries')} ${describe('batch.retries.success')} Per second.`,
      unit: 'ops',
      width: 8,
      targets: [
        { expr: orZero(counterRate('batch.retries')), legend: 'retries' },
        { expr: orZero(counterRate('batch.retries.success')), legend: 'succeeded' },
      ],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Dropped metric values',
      description: describe('ogf.metrics.dropped', 'Should stay at 0: anything else is a bug in the instrumented code.'),
      unit: 'ops',
      width: 8,
      targets: [{ expr: orZero(counterRate('ogf.metrics.dropped', ['reason'])), legend: '{{reason}}' }],
      min: 0,
    },
  ],
};

const emissions: SectionSpec = {
  title: 'Emissions tracking',
  panels: [
    {
      kind: 'stat',
      title: 'Emissions in range',
      description: describe('emissions', 'Over the selected time range.'),
      unit: grafanaUnit(metricDefinition('emissions')),
      width: 6,
      targets: [{ expr: counterIncrease('emissions'), legend: 'g CO2e' }],
    },
    {
      kind: 'timeseries',
      title: 'Emissions rate',
      description: describe('emissions', 'Per hour.'),
      unit: grafanaUnit(metricDefinition('emissions')),
      width: 9,
      targets: [{ expr: `${counterRate('emissions')} * 3600`, legend: 'g CO2e / h' }],
      min: 0,
    },
    {
      kind: 'timeseries',
      title: 'Emissions per batch',
      description: describe('emissions.avg.batch', 'Mean, p50 and p95.'),
      unit: grafanaUnit(metricDefinition('emissions.avg.batch')),
      width: 9,
      targets: [
        { expr: histogramMean('emissions.avg.batch'), legend: 'mean' },
        { expr: histogramQuantile('emissions.avg.batch', 0.5), legend: 'p50' },
        { expr: histogramQuantile('emissions.avg.batch', 0.95), legend: 'p95' },
      ],
      min: 0,
    },
  ],
};

const latency: SectionSpec = {
  title: 'Latency percentiles',
  panels: [
    percentilePanel('batch.processing.duration', 'Batch processing time', 'Target: p95 under 5 s (BatchLatencyP95High).', 5),
    percentilePanel('batch.latency', 'Batch latency, submission to end', 'What a client waits, queue included.'),
    percentilePanel('activity.duration', 'Activity processing time', ''),
    percentilePanel('batch.submit.duration', 'Batch submission time', ''),
  ],
};

/** OffGridFlow's five dashboard sections, in order, then capacity and anomalies (src/capacity-section.ts). */
export const SECTIONS: readonly SectionSpec[] = [batchOverview, workerPool, errors, emissions, latency, capacityAndAnomalies];
