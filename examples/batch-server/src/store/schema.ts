// Tables and constraints. `activity_results` has one row per activity at most (primary key),
// which with INSERT … ON CONFLICT DO NOTHING makes storing a result idempotent.
import type { Database } from './database.ts';

const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    workspace_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending','queued','processing','completed','failed','cancelled')),
    activity_count INTEGER NOT NULL,
    success_count INTEGER NOT NULL DEFAULT 0,
    failed_count INTEGER NOT NULL DEFAULT 0,
    total_emissions_kg DOUBLE PRECISION NOT NULL DEFAULT 0,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    trace_carrier JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    queued_at TIMESTAMPTZ,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX IF NOT EXISTS batches_org_created ON batches (org_id, created_at DESC)`,
  `CREATE INDEX IF NOT EXISTS batches_state ON batches (state)`,
  `CREATE TABLE IF NOT EXISTS activities (
    batch_id TEXT NOT NULL REFERENCES batches (id),
    position INTEGER NOT NULL,
    activity_id TEXT NOT NULL,
    type TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    region TEXT,
    PRIMARY KEY (batch_id, position),
    UNIQUE (batch_id, activity_id)
  )`,
  `CREATE TABLE IF NOT EXISTS activity_results (
    batch_id TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('success','failed')),
    emissions_kg DOUBLE PRECISION,
    factor_kg_per_unit DOUBLE PRECISION,
    canonical_quantity DOUBLE PRECISION,
    canonical_unit TEXT,
    error_code TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL,
    worker_id TEXT,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, activity_id),
    FOREIGN KEY (batch_id, activity_id) REFERENCES activities (batch_id, activity_id)
  )`,
  `CREATE TABLE IF NOT EXISTS batch_transitions (
    id BIGSERIAL PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES batches (id),
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT,
    worker_id TEXT,
    at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
  )`,
  `CREATE INDEX IF NOT EXISTS batch_transitions_batch ON batch_transitions (batch_id, id)`,
];

/**
 * Creates what is missing. On PostgreSQL several processes may start at once (an api and N
 * workers): a transaction-scoped advisory lock lets one migrate while the others wait, since
 * concurrent CREATE TABLE IF NOT EXISTS can still collide.
 */
export async function migrate(db: Database): Promise<void> {
  if (db.kind === 'pglite') {
    for (const statement of STATEMENTS) await db.query(statement);
    return;
  }
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('ogf.batch-server.migrate'))`);
    for (const statement of STATEMENTS) await tx.query(statement);
  });
}
