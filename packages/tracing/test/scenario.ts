// The seed's span tree as one scenario: a batch of 3 activities submitted, then processed under
// the org lock. Shared by the Node tests and the Bun/Deno/workerd fixture, so it imports nothing
// but the package's public API (from source) and Web APIs.
import type { BatchTracer } from '../src/index.ts';

export const BATCH = { id: 'batch-42', orgId: 'org-7', workspaceId: 'ws-3', activityCount: 3, workerId: 'worker-1' };
export const ACTIVITIES = [
  { id: 'act-1', type: 'electricity', quantity: 1200, factor: 0.5 },
  { id: 'act-2', type: 'diesel', quantity: 10, factor: 2.5 },
  { id: 'act-3', type: 'natural_gas', quantity: 400, factor: 0.25 },
];

/** A macrotask hop, so the active span has to survive a real async boundary. */
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export async function runSeedScenario(tracer: BatchTracer): Promise<{ emissionsKg: number }> {
  await tracer.withBatchSubmission(BATCH, async (submission) => {
    submission.created();
    await pause();
    submission.activitiesAdded(ACTIVITIES.length);
    submission.queued(1);
    submission.complete({ durationMs: 5 });
  });
  return tracer.withBatchProcessing(BATCH, async (processing) => {
    processing.workerBusy(BATCH.workerId);
    processing.stateTransition('queued', 'processing');
    let emissionsKg = 0;
    await tracer.withLockAcquisition({ name: 'org', orgId: BATCH.orgId, batchId: BATCH.id }, async (lock) => {
      lock.waiting();
      await pause();
      lock.acquired(2);
      for (const activity of ACTIVITIES) {
        emissionsKg += await tracer.withActivityProcessing(
          { id: activity.id, batchId: BATCH.id, orgId: BATCH.orgId, type: activity.type, workerId: BATCH.workerId },
          async (span) => {
            await pause();
            span.dataRetrieved();
            const kg = activity.quantity * activity.factor;
            span.calculationsPerformed({ emissionsKg: kg, factor: activity.factor });
            await pause();
            span.resultsStored();
            span.complete({ durationMs: 1.5, emissionsKg: kg });
            return kg;
          },
        );
      }
    });
    processing.stateTransition('processing', 'completed');
    processing.workerIdle(BATCH.workerId, 250);
    processing.complete({ successCount: 3, errorCount: 0, durationMs: 20, emissionsKg });
    return { emissionsKg };
  });
}

/** A span reduced to what the tree assertions look at; JSON-serialisable. */
export interface SpanSummary {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  status: { code: number; message?: string };
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
}

/** Structural subset of the SDK's ReadableSpan (2.x), so this file needs no SDK import. */
export interface ReadableSpanLike {
  name: string;
  kind: number;
  spanContext(): { traceId: string; spanId: string };
  parentSpanContext?: { spanId: string } | undefined;
  attributes: Record<string, unknown>;
  events: { name: string; attributes?: Record<string, unknown> }[];
  status: { code: number; message?: string };
  links: { context: { traceId: string; spanId: string }; attributes?: Record<string, unknown> }[];
}

export function summarize(spans: readonly ReadableSpanLike[]): SpanSummary[] {
  return spans.map((span) => {
    const summary: SpanSummary = {
      name: span.name,
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      kind: span.kind,
      attributes: { ...span.attributes },
      events: span.events.map((event) => ({ name: event.name, attributes: { ...event.attributes } })),
      status: span.status.message ? { code: span.status.code, message: span.status.message } : { code: span.status.code },
      links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId, attributes: { ...link.attributes } })),
    };
    if (span.parentSpanContext?.spanId) summary.parentSpanId = span.parentSpanContext.spanId;
    return summary;
  });
}
