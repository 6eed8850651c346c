// @ogf/bullmq: BullMQ queues and workers into @ogf — batch metrics and spans from jobs, the trace
// carried in the job across processes, queue gauges read at collect time, health checks.
export { createBullMQObservability } from './create.js';
export type { BullMQObservability, Observation } from './create.js';
export type { BullMQObservabilityOptions, ObserveQueueOptions, ObserveWorkerOptions } from './options.js';
export type { BatchProcessor, ProcessorOptions, WrappedProcessor } from './processor.js';
export type { JobDataOf, JobNameOf, SubmitQueue } from './submit.js';
export type { BacklogCheckOptions, Threshold } from './queue-health.js';
export type { WorkerCheckOptions } from './worker-health.js';
export { QUEUE_JOBS_GAUGE, QUEUE_OLDEST_WAITING_GAUGE } from './queue-gauges.js';
export { QUEUE_STATES } from './queue-read.js';
export { JOB_DURATION_BUCKETS } from './job-meter.js';
export type { BullMQErrorCode } from './errors.js';
export { OgfError, isOgfError } from '@ogf/core';
