// `submit`: `obs.batches.submit` around `queue.add`. The `batch.submission` span is active while
// the job is added, and its carrier is stored in the job's `opts.telemetry.metadata` (where BullMQ
// keeps trace context), so the worker's `batch.processing`, in any process, joins the same trace.
// A queue with our `telemetry` adds its `add` span under `batch.submission` and stores that instead.
import type { BatchLifecycle, SubmitRef } from '@ogf/observability';
import { context } from '@opentelemetry/api';
import type { JobsOptions } from 'bullmq';

/** What `submit` needs of a queue: BullMQ's `Queue` (any data type). */
export interface SubmitQueue {
  add(name: never, data: never, opts?: never): Promise<unknown>;
}

/** The job name `queue.add` takes. */
export type JobNameOf<Q extends SubmitQueue> = Parameters<Q['add']>[0];
/** The job data `queue.add` takes. */
export type JobDataOf<Q extends SubmitQueue> = Parameters<Q['add']>[1];

export function submitJob<Q extends SubmitQueue>(
  batches: BatchLifecycle,
  queue: Q,
  ref: SubmitRef,
  name: JobNameOf<Q>,
  data: JobDataOf<Q>,
  jobOptions?: JobsOptions,
): ReturnType<Q['add']> {
  return batches.submit(ref, (sub) => {
    const telemetry = { ...jobOptions?.telemetry, metadata: JSON.stringify(sub.carrier) };
    const options = { ...jobOptions, telemetry };
    const target = queue as unknown as { add(name: unknown, data: unknown, opts: JobsOptions): Promise<unknown> };
    return context.with(sub.context, () => target.add(name, data, options));
  }) as ReturnType<Q['add']>;
}
