// Type-checked by CI against the packed package: the public API the way an application uses it.
import { context, propagation, type Context } from '@opentelemetry/api';
import {
  ATTRIBUTES,
  EVENT_NAMES,
  SPAN_NAMES,
  createBatchTracer,
  extractContext,
  injectContext,
  isOgfError,
  type ActivitySpan,
  type BatchResult,
  type BatchTracer,
  type BatchTracerOptions,
  type JobRelation,
  type TraceCarrier,
} from '@ogf/tracing';

interface Job {
  activityId: string;
  trace: TraceCarrier;
}

const options: BatchTracerOptions = { scopeName: 'emissions-worker', scopeVersion: '1.0.0', jobRelation: 'child' };
const tracer: BatchTracer = createBatchTracer(options);

export async function submit(batchId: string, activityIds: string[], enqueue: (job: Job) => Promise<void>): Promise<void> {
  await tracer.withBatchSubmission({ id: batchId, orgId: 'org-7', activityCount: activityIds.length }, async (span) => {
    span.created();
    span.activitiesAdded(activityIds.length);
    for (const activityId of activityIds) await enqueue({ activityId, trace: tracer.injectContext() });
    span.queued(activityIds.length);
    span.complete({ durationMs: 12 });
  });
}

async function lookUpFactor(activity: ActivitySpan): Promise<number> {
  activity.dataRetrieved({ 'factor.source': 'cache' });
  return Promise.resolve(0.5);
}

export async function work(job: Job, relation: JobRelation = 'link'): Promise<number> {
  const ctx: Context = tracer.extractContext(job.trace, { relation });
  return context.with(ctx, () =>
    tracer.withActivityProcessing({ id: job.activityId, type: 'electricity' }, async (activity) => {
      const factor = await lookUpFactor(activity);
      const kg = 1_200 * factor;
      activity.calculationsPerformed({ emissionsKg: kg, factor });
      activity.resultsStored();
      activity.complete({ durationMs: 3, emissionsKg: kg });
      return kg;
    }),
  );
}

export function processBatch(batchId: string, run: () => Promise<BatchResult>): Promise<void> {
  return tracer.withBatchProcessing({ id: batchId, orgId: 'org-7', workerId: 'w-1' }, async (processing) => {
    processing.workerBusy('w-1');
    processing.stateTransition('queued', 'processing');
    const result = await tracer.withLockAcquisition({ name: 'org', orgId: 'org-7' }, async (lock) => {
      lock.acquired(4);
      return run();
    });
    processing.stateTransition('processing', 'completed');
    processing.workerIdle('w-1', 250);
    processing.complete(result);
  });
}

export function manual(): void {
  const batch = tracer.startBatchProcessingSpan({ id: 'b-9' });
  const lock = tracer.startLockAcquisitionSpan({ name: 'org' }, { parent: batch });
  lock.waiting();
  lock.timedOut(5_000);
  batch.fail(new Error('lock timeout'));
  const carrier: Record<string, string> = injectContext(batch.context);
  const restored: Context = extractContext(carrier, { relation: 'child', propagator: propagation });
  void restored;
}

export const names: string[] = [SPAN_NAMES.batchProcessing, EVENT_NAMES.lockAcquired, ATTRIBUTES.emissions];

try {
  createBatchTracer({ jobRelation: 'sideways' as JobRelation });
} catch (error) {
  if (isOgfError(error)) console.error(error.code);
}
