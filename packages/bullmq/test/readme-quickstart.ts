// The README's quick start, type-checked by `pnpm typecheck`; readme.test.ts keeps the two identical.
import { createBullMQObservability } from '@ogf/bullmq';
import { createObservability } from '@ogf/observability';
import { Queue, Worker } from 'bullmq';

interface Batch {
  batchId: string;
  orgId: string;
  activities: { id: string; quantity: number; factor: number }[];
}

const connection = { host: '127.0.0.1', port: 6379 };
// Several processes share the queue: let the queue gauges, not a per-process counter, say its size.
const obs = createObservability({ serviceName: 'emissions', lifecycleOptions: { queue: 'external' } });

const bull = createBullMQObservability({ obs }); // ← 1
const { telemetry } = bull;

const queue = new Queue('batches', { connection, telemetry });
const worker = new Worker(
  'batches',
  bull.processor<Batch>((job, run) => {
    // ← 2: your processor, wrapped; `run` is the lifecycle's BatchRun
    let kg = 0;
    for (const a of job.data.activities) {
      kg += run.activity({ id: a.id }, (act) => act.calculated({ emissionsKg: a.quantity * a.factor }));
    }
    return kg;
  }),
  { connection, telemetry },
);
bull.observe(queue, { thresholds: { oldestWaitingAgeSeconds: { degradedAbove: 60, unhealthyAbove: 600 } } });
bull.observe(worker);

// Producer side (any process): batch.submission, batch_submitted_total, the carrier stored in the job.
const batch: Batch = { batchId: 'b-1', orgId: 'org-1', activities: [{ id: 'a-1', quantity: 1200, factor: 0.4 }] };
await bull.submit(queue, { id: batch.batchId, orgId: batch.orgId, activityCount: 1 }, 'batch', batch);

// Serve obs.app (/metrics, /health/ready, /status …) as @ogf/observability's quick start does.
