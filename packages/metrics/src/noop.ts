import type { Settings } from './settings.js';
import type { BatchMetrics } from './types.js';

const nothing = (): void => undefined;

/** BatchMetrics for when no MeterProvider is registered: empty functions, no state. */
export function createNoopBatchMetrics(settings: Settings): BatchMetrics {
  const classify = (error: unknown): string => settings.classifier.classify(error);
  return {
    enabled: false,
    scopeName: settings.scopeName,
    activityCounts: settings.perBatchActivities ? 'per-batch' : 'per-activity',
    recordBatchSubmission: nothing,
    recordSubmitDuration: nothing,
    recordBatchStarted: nothing,
    recordBatchRequeued: nothing,
    recordBatchCompletion: nothing,
    recordBatchFailure: (o) => classify(o?.error),
    recordBatchCancellation: nothing,
    recordActivityProcessing: nothing,
    recordWorkerBusy: nothing,
    recordWorkerIdle: nothing,
    setWorkerCapacity: nothing,
    recordLockAcquisition: nothing,
    recordEnqueue: nothing,
    recordDequeue: nothing,
    recordQueueWait: nothing,
    setQueueSize: nothing,
    recordError: (o) => classify(o?.error),
    recordRetry: nothing,
    recordStateTransition: nothing,
    classifyError: classify,
    errorsByType: () => ({}),
  };
}
