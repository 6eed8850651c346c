// What the lifecycle learns about a batch from a BullMQ job: the batch id (`data.batchId`, else
// the job id), `orgId` and `activityCount` (or `activities.length`) from the data when present,
// the attempt (`attemptsMade + 1`), when it was submitted (`job.timestamp`, plus its delay) and
// the worker (`job.processedBy`, the worker's `name` option in BullMQ 6).
import type { ProcessRef } from '@ogf/observability';
import type { Job } from 'bullmq';

function field(data: unknown, key: string): unknown {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
}

/** The lifecycle's ProcessRef for a job (without the carrier). */
export function jobRef(job: Job, workerId: string | undefined): ProcessRef {
  const data: unknown = job.data;
  const batchId = field(data, 'batchId');
  const orgId = field(data, 'orgId');
  const count = field(data, 'activityCount');
  const activities = field(data, 'activities');
  const activityCount =
    typeof count === 'number' && Number.isFinite(count) ? count : Array.isArray(activities) ? activities.length : undefined;
  const ref: ProcessRef = {
    id: typeof batchId === 'string' && batchId !== '' ? batchId : String(job.id ?? job.name),
    attempt: (typeof job.attemptsMade === 'number' ? job.attemptsMade : 0) + 1,
  };
  if (typeof orgId === 'string') ref.orgId = orgId;
  if (activityCount !== undefined) ref.activityCount = activityCount;
  if (typeof job.timestamp === 'number' && job.timestamp > 0) {
    ref.submittedAt = job.timestamp;
    const delay = job.opts?.delay;
    // A delayed job enters the waiting list when its delay ends: queue wait counts from then.
    if (typeof delay === 'number' && delay > 0) ref.enqueuedAt = job.timestamp + delay;
  }
  const worker = workerId ?? (job as { processedBy?: unknown }).processedBy;
  if (typeof worker === 'string' && worker !== '') ref.workerId = worker;
  return ref;
}
