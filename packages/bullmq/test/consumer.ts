// Type-checked by CI against the packed tarball, the way a user's project sees the package.
import { createBullMQObservability, isOgfError, QUEUE_JOBS_GAUGE, type BullMQObservability, type Observation } from '@ogf/bullmq';
import { createObservability } from '@ogf/observability';
import { Queue, Worker, type Job } from 'bullmq';

interface BatchData {
  batchId: string;
  orgId: string;
  activities: { id: string; kg: number }[];
}

export async function main(): Promise<string> {
  const obs = createObservability({ serviceName: 'emissions', lifecycleOptions: { queue: 'external' } });
  let bull: BullMQObservability;
  try {
    bull = createBullMQObservability({ obs, collectTimeoutMs: 1000, onError: (error) => console.warn(error.code) });
  } catch (error) {
    if (isOgfError(error)) console.error(error.code);
    throw error;
  }
  const connection = { host: '127.0.0.1', port: 6379 };
  const queue = new Queue<BatchData>('batches', { connection, telemetry: bull.telemetry });
  const worker = new Worker<BatchData, number>(
    'batches',
    bull.processor<BatchData, number>((job: Job<BatchData, number>, run) => {
      let kg = 0;
      for (const a of job.data.activities) kg += run.activity({ id: a.id }, (act) => act.calculated({ emissionsKg: a.kg }));
      return kg;
    }),
    { connection, telemetry: bull.telemetry },
  );
  const observations: Observation[] = [
    bull.observe(queue, { thresholds: { backlog: { degradedAbove: 100 } } }),
    bull.observe(worker, { stuckAfterMs: 60_000 }),
  ];
  const data: BatchData = { batchId: 'b-1', orgId: 'o-1', activities: [{ id: 'a', kg: 1 }] };
  const job = await bull.submit(queue, { id: 'b-1', orgId: 'o-1', activityCount: 1 }, 'batch', data);
  for (const o of observations) o.close();
  bull.close();
  await worker.close();
  await queue.close();
  await obs.shutdown();
  return `${QUEUE_JOBS_GAUGE} ${String(job.id)}`;
}
