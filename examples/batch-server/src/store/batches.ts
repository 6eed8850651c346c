// Batches: creation (with activities and the first transitions, in one transaction), reads,
// filters, state transitions and cancellation requests.
import type { BatchState } from '../domain/states.ts';
import type { ActivityInput, BatchRecord } from '../domain/types.ts';
import type { Database, Sql } from './database.ts';
import { toBatchRecord, type BatchRow } from './rows.ts';

const ROWS_PER_INSERT = 1_000;

export async function insertActivities(tx: Sql, batchId: string, activities: readonly ActivityInput[]): Promise<void> {
  for (let start = 0; start < activities.length; start += ROWS_PER_INSERT) {
    const chunk = activities.slice(start, start + ROWS_PER_INSERT);
    const params: unknown[] = [];
    const tuples = chunk.map((activity, offset) => {
      const base = params.length;
      params.push(batchId, start + offset, activity.id, activity.type, activity.quantity, activity.unit, activity.region ?? null);
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7})`;
    });
    await tx.query(
      `INSERT INTO activities (batch_id, position, activity_id, type, quantity, unit, region) VALUES ${tuples.join(', ')}`,
      params,
    );
  }
}

export async function recordTransition(
  tx: Sql,
  batchId: string,
  from: BatchState | null,
  to: BatchState,
  details: { reason?: string | undefined; workerId?: string | undefined } = {},
): Promise<void> {
  await tx.query('INSERT INTO batch_transitions (batch_id, from_state, to_state, reason, worker_id) VALUES ($1, $2, $3, $4, $5)', [
    batchId,
    from,
    to,
    details.reason ?? null,
    details.workerId ?? null,
  ]);
}

/** Stores a new batch as pending, then queued, with its activities; all or nothing. */
export async function createBatch(
  db: Database,
  batch: {
    id: string;
    orgId: string;
    workspaceId: string | null;
    activities: readonly ActivityInput[];
    traceCarrier: Record<string, string>;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO batches (id, org_id, workspace_id, state, activity_count, trace_carrier) VALUES ($1, $2, $3, 'pending', $4, $5::jsonb)`,
      [batch.id, batch.orgId, batch.workspaceId, batch.activities.length, JSON.stringify(batch.traceCarrier)],
    );
    await recordTransition(tx, batch.id, null, 'pending', { reason: 'submitted' });
    await insertActivities(tx, batch.id, batch.activities);
    await tx.query(`UPDATE batches SET state = 'queued', queued_at = now(), updated_at = now() WHERE id = $1`, [batch.id]);
    await recordTransition(tx, batch.id, 'pending', 'queued', { reason: 'accepted' });
  });
}

/** Removes a batch that was stored but could not be enqueued, with its activities and transitions. */
export async function deleteBatch(db: Database, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of ['activity_results', 'activities', 'batch_transitions']) {
      await tx.query(`DELETE FROM ${table} WHERE batch_id = $1`, [id]);
    }
    await tx.query('DELETE FROM batches WHERE id = $1', [id]);
  });
}

export async function getBatch(db: Sql, id: string): Promise<BatchRecord | undefined> {
  const { rows } = await db.query<BatchRow>('SELECT * FROM batches WHERE id = $1', [id]);
  return rows[0] && toBatchRecord(rows[0]);
}

export interface BatchFilters {
  orgId?: string | undefined;
  workspaceId?: string | undefined;
  state?: BatchState | undefined;
  limit: number;
  offset: number;
}

export async function listBatches(db: Sql, filters: BatchFilters): Promise<{ batches: BatchRecord[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: unknown): void => {
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  if (filters.orgId !== undefined) add('org_id', filters.orgId);
  if (filters.workspaceId !== undefined) add('workspace_id', filters.workspaceId);
  if (filters.state !== undefined) add('state', filters.state);
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const { rows: counted } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM batches ${clause}`, params);
  const { rows } = await db.query<BatchRow>(
    `SELECT * FROM batches ${clause} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, filters.limit, filters.offset],
  );
  return { batches: rows.map(toBatchRecord), total: counted[0]?.n ?? 0 };
}

const TIMESTAMP_ON_ENTRY: Partial<Record<BatchState, string>> = {
  queued: 'queued_at = now()',
  processing: 'started_at = COALESCE(started_at, now())',
  completed: 'finished_at = now()',
  failed: 'finished_at = now()',
  cancelled: 'finished_at = now()',
};

/**
 * Moves a batch from `from` to `to` if it is still in `from`, and records the transition.
 * Returns false (changing nothing) when another actor moved it first.
 */
export async function transitionBatch(
  db: Database,
  batchId: string,
  from: BatchState,
  to: BatchState,
  details: { reason?: string | undefined; workerId?: string | undefined; error?: string | undefined; countAttempt?: boolean } = {},
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const sets = ['state = $3', 'updated_at = now()'];
    const stamp = TIMESTAMP_ON_ENTRY[to];
    if (stamp) sets.push(stamp);
    const params: unknown[] = [batchId, from, to];
    if (details.error !== undefined) {
      params.push(details.error);
      sets.push(`error = $${params.length}`);
    }
    if (details.countAttempt) sets.push('attempts = attempts + 1');
    const { rowCount } = await tx.query(`UPDATE batches SET ${sets.join(', ')} WHERE id = $1 AND state = $2`, params);
    if (rowCount === 0) return false;
    await recordTransition(tx, batchId, from, to, details);
    return true;
  });
}

export async function requestCancel(db: Sql, batchId: string): Promise<void> {
  await db.query('UPDATE batches SET cancel_requested = TRUE, updated_at = now() WHERE id = $1', [batchId]);
}

export async function bumpAttempts(db: Sql, batchId: string): Promise<number> {
  const { rows } = await db.query<{ attempts: number }>(
    'UPDATE batches SET attempts = attempts + 1, updated_at = now() WHERE id = $1 RETURNING attempts',
    [batchId],
  );
  return rows[0]?.attempts ?? 0;
}

export async function unfinishedBatches(db: Sql): Promise<BatchRecord[]> {
  const { rows } = await db.query<BatchRow>(
    `SELECT * FROM batches WHERE state IN ('pending', 'queued', 'processing') ORDER BY created_at, id`,
  );
  return rows.map(toBatchRecord);
}

/**
 * Deletes finished batches (completed, failed, cancelled) that finished before `before`, with
 * their activities, results and transitions, in one transaction. Returns how many batches went.
 */
export async function pruneFinishedBatches(db: Database, before: Date, limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM batches WHERE state IN ('completed', 'failed', 'cancelled') AND finished_at < $1 ORDER BY finished_at LIMIT $2`,
      [before.toISOString(), limit],
    );
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    for (const table of ['activity_results', 'activities', 'batch_transitions']) {
      await tx.query(`DELETE FROM ${table} WHERE batch_id = ANY($1::text[])`, [ids]);
    }
    await tx.query('DELETE FROM batches WHERE id = ANY($1::text[])', [ids]);
    return ids.length;
  });
}
