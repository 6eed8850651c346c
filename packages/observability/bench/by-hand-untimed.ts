// An informational baseline for bench/run.ts, not the issue's: the same hand-written metric, span
// and audit calls as `byHand` in run.ts, written by someone who also skips the clock when nothing
// records a duration (no MeterProvider and a span that does not record), as the lifecycle does.
// Without an SDK it reads no clock at all; it shows what the lifecycle's own bookkeeping costs.
import type { BatchMetrics } from '@ogf/metrics';
import type { BatchTracer } from '@ogf/tracing';
import type { AuditLog } from '@ogf/observability';
import { context } from '@opentelemetry/api';

const ACTIVITIES = 100;
const io_ = (): Promise<void> => Promise.resolve();
const held = new Set<string>();
let idleSince = 0;

export async function byHandUntimed(
  p: { metrics: BatchMetrics; tracer: BatchTracer; audit: AuditLog },
  n: number,
  io: boolean,
): Promise<void> {
  const { metrics, tracer, audit } = p;
  const id = `b-${n}`;
  const span = tracer.startBatchProcessingSpan({ id, orgId: 'org-7', activityCount: ACTIVITIES, workerId: 'w-1' });
  const timed = metrics.enabled || span.span.isRecording();
  const submittedAt = metrics.enabled ? Date.now() - 1_500 : undefined;
  if (submittedAt !== undefined) metrics.recordQueueWait({ waitMs: Date.now() - submittedAt });
  metrics.recordWorkerBusy(metrics.enabled ? { idleMs: performance.now() - idleSince } : undefined);
  span.workerBusy('w-1');
  metrics.recordStateTransition({ from: 'queued', to: 'processing' });
  span.stateTransition('queued', 'processing');
  context.with(span.context, () => audit.stateTransition({ batchId: id, from: 'queued', to: 'processing', workerId: 'w-1' }));
  metrics.recordBatchStarted();
  const started = timed ? performance.now() : 0;
  let total = 0;
  await context.with(span.context, async () => {
    const lock = tracer.startLockAcquisitionSpan({ name: 'org', orgId: 'org-7', batchId: id }, { parent: span });
    const lockTimed = metrics.enabled || lock.span.isRecording();
    const waitStart = lockTimed ? performance.now() : 0;
    held.add('org-7');
    const waitMs = lockTimed ? performance.now() - waitStart : 0;
    metrics.recordLockAcquisition({ lock: 'org', waitMs, acquired: true });
    lock.acquired(waitMs);
    const heldFrom = lockTimed ? performance.now() : 0;
    try {
      for (let i = 0; i < ACTIVITIES; i++) {
        const kg = i * 0.5;
        const activity = { id: `a-${i}`, batchId: id };
        total += io
          ? await tracer.withActivityProcessing(
              activity,
              async (act) => {
                const actTimed = metrics.enabled || act.span.isRecording();
                const t0 = actTimed ? performance.now() : 0;
                await io_();
                act.calculationsPerformed({ emissionsKg: kg, factor: 0.5 });
                const durationMs = actTimed ? performance.now() - t0 : 0;
                metrics.recordActivityProcessing({ success: true, durationMs });
                act.complete({ durationMs, emissionsKg: kg });
                return kg;
              },
              { parent: span },
            )
          : tracer.withActivityProcessing(
              activity,
              (act) => {
                const actTimed = metrics.enabled || act.span.isRecording();
                const t0 = actTimed ? performance.now() : 0;
                act.calculationsPerformed({ emissionsKg: kg, factor: 0.5 });
                const durationMs = actTimed ? performance.now() - t0 : 0;
                metrics.recordActivityProcessing({ success: true, durationMs });
                act.complete({ durationMs, emissionsKg: kg });
                return kg;
              },
              { parent: span },
            );
      }
    } finally {
      held.delete('org-7');
      lock.released(lockTimed ? performance.now() - heldFrom : 0);
    }
  });
  const durationMs = timed ? performance.now() - started : 0;
  metrics.recordStateTransition({ from: 'processing', to: 'completed' });
  span.stateTransition('processing', 'completed');
  context.with(span.context, () => audit.stateTransition({ batchId: id, from: 'processing', to: 'completed', workerId: 'w-1' }));
  metrics.recordBatchCompletion({ durationMs, emissionsKg: total, submittedAt });
  span.complete({ successCount: ACTIVITIES, errorCount: 0, durationMs, emissionsKg: total });
  metrics.recordWorkerIdle({ taskMs: durationMs });
  if (metrics.enabled) idleSince = performance.now();
}
