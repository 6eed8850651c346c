// The records the processor works with: a batch of activities from one organisation.
import type { BatchState } from './states.ts';

export interface ActivityInput {
  id: string;
  type: string;
  quantity: number;
  unit: string;
  region?: string | undefined;
}

export interface BatchRecord {
  id: string;
  orgId: string;
  workspaceId: string | null;
  state: BatchState;
  activityCount: number;
  successCount: number;
  failedCount: number;
  totalEmissionsKg: number;
  error: string | null;
  attempts: number;
  cancelRequested: boolean;
  /** W3C trace context of the submission, so processing joins the submission's trace. */
  traceCarrier: Record<string, string>;
  createdAt: Date;
  queuedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export type ActivityOutcome =
  | { status: 'success'; emissionsKg: number; factorKgPerUnit: number; canonicalQuantity: number; canonicalUnit: string }
  | { status: 'failed'; errorCode: string; errorMessage: string };
