// JSON views of batches as the API returns them.
import type { BatchRecord } from '../domain/types.ts';
import type { ActivityError, TransitionRow } from '../store/results.ts';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function batchSummary(batch: BatchRecord): Record<string, unknown> {
  return {
    batch_id: batch.id,
    org_id: batch.orgId,
    workspace_id: batch.workspaceId,
    status: batch.state,
    counts: {
      activities: batch.activityCount,
      processed: batch.successCount + batch.failedCount,
      succeeded: batch.successCount,
      failed: batch.failedCount,
    },
    total_emissions_kg: Math.round(batch.totalEmissionsKg * 1e6) / 1e6,
    error: batch.error,
    cancel_requested: batch.cancelRequested,
    timestamps: {
      created_at: iso(batch.createdAt),
      queued_at: iso(batch.queuedAt),
      started_at: iso(batch.startedAt),
      finished_at: iso(batch.finishedAt),
      updated_at: iso(batch.updatedAt),
    },
  };
}

export function batchDetail(batch: BatchRecord, errors: ActivityError[], transitions: TransitionRow[]): Record<string, unknown> {
  return { ...batchSummary(batch), errors, transitions };
}
