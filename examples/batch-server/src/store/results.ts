// Per-activity results. A result and the batch's progress counters are written in one
// transaction, and the insert is idempotent, so a replay after a crash never counts twice.
import type { ActivityInput, ActivityOutcome } from '../domain/types.ts';
import type { Database, Sql } from './database.ts';

/** Stores one activity's outcome; returns false when it was already stored (nothing changes). */
export async function storeActivityResult(
  db: Database,
  batchId: string,
  activityId: string,
  outcome: ActivityOutcome,
  details: { attempts: number; workerId: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const success = outcome.status === 'success';
    const { rows } = await tx.query<{ activity_id: string }>(
      `INSERT INTO activity_results
         (batch_id, activity_id, status, emissions_kg, factor_kg_per_unit, canonical_quantity, canonical_unit,
          error_code, error_message, attempts, worker_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (batch_id, activity_id) DO NOTHING
       RETURNING activity_id`,
      [
        batchId,
        activityId,
        outcome.status,
        success ? outcome.emissionsKg : null,
        success ? outcome.factorKgPerUnit : null,
        success ? outcome.canonicalQuantity : null,
        success ? outcome.canonicalUnit : null,
        success ? null : outcome.errorCode,
        success ? null : outcome.errorMessage,
        details.attempts,
        details.workerId,
      ],
    );
    if (rows.length === 0) return false;
    await tx.query(
      `UPDATE batches SET success_count = success_count + $2, failed_count = failed_count + $3,
         total_emissions_kg = total_emissions_kg + $4, updated_at = now() WHERE id = $1`,
      [batchId, success ? 1 : 0, success ? 0 : 1, success ? outcome.emissionsKg : 0],
    );
    return true;
  });
}

/** Activities of a batch that have no stored result yet, in submission order. */
export async function unprocessedActivities(db: Sql, batchId: string): Promise<ActivityInput[]> {
  const { rows } = await db.query<{ activity_id: string; type: string; quantity: number; unit: string; region: string | null }>(
    `SELECT a.activity_id, a.type, a.quantity, a.unit, a.region
       FROM activities a
       LEFT JOIN activity_results r ON r.batch_id = a.batch_id AND r.activity_id = a.activity_id
      WHERE a.batch_id = $1 AND r.activity_id IS NULL
      ORDER BY a.position`,
    [batchId],
  );
  return rows.map((row) => ({
    id: row.activity_id,
    type: row.type,
    quantity: Number(row.quantity),
    unit: row.unit,
    region: row.region ?? undefined,
  }));
}

export interface ActivityError {
  activity_id: string;
  code: string;
  message: string;
}

export async function activityErrors(db: Sql, batchId: string): Promise<ActivityError[]> {
  const { rows } = await db.query<{ activity_id: string; error_code: string; error_message: string }>(
    `SELECT r.activity_id, r.error_code, r.error_message
       FROM activity_results r JOIN activities a ON a.batch_id = r.batch_id AND a.activity_id = r.activity_id
      WHERE r.batch_id = $1 AND r.status = 'failed' ORDER BY a.position`,
    [batchId],
  );
  return rows.map((row) => ({ activity_id: row.activity_id, code: row.error_code, message: row.error_message }));
}

export interface TransitionRow {
  from: string | null;
  to: string;
  at: string;
  reason: string | null;
  worker_id: string | null;
}

export async function batchTransitions(db: Sql, batchId: string): Promise<TransitionRow[]> {
  const { rows } = await db.query<{
    from_state: string | null;
    to_state: string;
    at: Date;
    reason: string | null;
    worker_id: string | null;
  }>('SELECT from_state, to_state, at, reason, worker_id FROM batch_transitions WHERE batch_id = $1 ORDER BY id', [batchId]);
  return rows.map((row) => ({
    from: row.from_state,
    to: row.to_state,
    at: new Date(row.at).toISOString(),
    reason: row.reason,
    worker_id: row.worker_id,
  }));
}
