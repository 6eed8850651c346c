// Row shapes and their mapping to domain records.
import type { BatchState } from '../domain/states.ts';
import type { BatchRecord } from '../domain/types.ts';

export interface BatchRow {
  id: string;
  org_id: string;
  workspace_id: string | null;
  state: BatchState;
  activity_count: number;
  success_count: number;
  failed_count: number;
  total_emissions_kg: number;
  error: string | null;
  attempts: number;
  cancel_requested: boolean;
  trace_carrier: Record<string, string> | string;
  created_at: Date;
  queued_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

export function toBatchRecord(row: BatchRow): BatchRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    workspaceId: row.workspace_id,
    state: row.state,
    activityCount: row.activity_count,
    successCount: row.success_count,
    failedCount: row.failed_count,
    totalEmissionsKg: Number(row.total_emissions_kg),
    error: row.error,
    attempts: row.attempts,
    cancelRequested: row.cancel_requested,
    traceCarrier: typeof row.trace_carrier === 'string' ? (JSON.parse(row.trace_carrier) as Record<string, string>) : row.trace_carrier,
    createdAt: new Date(row.created_at),
    queuedAt: row.queued_at && new Date(row.queued_at),
    startedAt: row.started_at && new Date(row.started_at),
    finishedAt: row.finished_at && new Date(row.finished_at),
    updatedAt: new Date(row.updated_at),
  };
}
