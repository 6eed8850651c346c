import type { Histogram, Meter } from '@opentelemetry/api';
import { metricDefinition } from './catalog.js';
import type { GaugeSeries, LevelSeries, RecordingMode, Series } from './series.js';
import { createGauge, createHistogram, createSeries } from './series.js';

/** Every instrument of the catalog, created on one meter. */
export interface Instruments {
  submitted: Series;
  processing: LevelSeries;
  completed: Series;
  failed: Series;
  cancelled: Series;
  activities: Series;
  activitySuccess: Series;
  activityFailed: Series;
  emissions: Series;
  workersActive: LevelSeries;
  lockAcquisitions: Series;
  lockTimeouts: Series;
  queueSize: LevelSeries;
  errors: Series;
  retries: Series;
  retriesSuccess: Series;
  transitions: Series;
  dropped: Series;
  lastSuccess: GaugeSeries;
  capacity: GaugeSeries;
  submitDuration: Histogram;
  processingDuration: Histogram;
  activityDuration: Histogram;
  emissionsPerBatch: Histogram;
  idleDuration: Histogram;
  taskDuration: Histogram;
  lockWait: Histogram;
  queueWait: Histogram;
  latency: Histogram;
  batchSize: Histogram;
}

/** Creates the catalog's instruments; counters as tallies or SDK instruments per `mode`. */
export function createInstruments(meter: Meter, mode: RecordingMode): Instruments {
  const series = (name: Parameters<typeof metricDefinition>[0]): LevelSeries => createSeries(meter, metricDefinition(name), mode);
  const histogram = (name: Parameters<typeof metricDefinition>[0]): Histogram => createHistogram(meter, metricDefinition(name));
  return {
    submitted: series('batch.submitted'),
    processing: series('batch.processing'),
    completed: series('batch.completed'),
    failed: series('batch.failed'),
    cancelled: series('batch.cancelled'),
    activities: series('activity'),
    activitySuccess: series('activity.success'),
    activityFailed: series('activity.failed'),
    emissions: series('emissions'),
    workersActive: series('workers.active'),
    lockAcquisitions: series('lock.acquisitions'),
    lockTimeouts: series('lock.timeouts'),
    queueSize: series('queue.size'),
    errors: series('batch.errors'),
    retries: series('batch.retries'),
    retriesSuccess: series('batch.retries.success'),
    transitions: series('batch.state.transitions'),
    dropped: series('ogf.metrics.dropped'),
    lastSuccess: createGauge(meter, metricDefinition('batch.last_success.timestamp')),
    capacity: createGauge(meter, metricDefinition('workers.capacity')),
    submitDuration: histogram('batch.submit.duration'),
    processingDuration: histogram('batch.processing.duration'),
    activityDuration: histogram('activity.duration'),
    emissionsPerBatch: histogram('emissions.avg.batch'),
    idleDuration: histogram('worker.idle.duration'),
    taskDuration: histogram('worker.task.duration'),
    lockWait: histogram('lock.wait.duration'),
    queueWait: histogram('queue.wait.duration'),
    latency: histogram('batch.latency'),
    batchSize: histogram('batch.size'),
  };
}
