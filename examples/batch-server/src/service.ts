// The batch service: submission, reads, cancellation, recovery at start and draining at stop.
import { randomUUID } from 'node:crypto';
import type { ServerConfig } from './config.ts';
import type { BatchState } from './domain/states.ts';
import { isTerminal } from './domain/states.ts';
import type { ActivityInput, BatchRecord } from './domain/types.ts';
import { refOf } from './processing/batch-runner.ts';
import { ShuttingDownError, type Dispatch, type DispatchStats } from './processing/dispatch.ts';
import { createTransitioner, type Transitioner } from './processing/transitions.ts';
import type { Database } from './store/database.ts';
import { createBatch, getBatch, listBatches, pruneFinishedBatches, requestCancel, type BatchFilters } from './store/batches.ts';
import { activityErrors, batchTransitions, type ActivityError, type TransitionRow } from './store/results.ts';
import { migrate } from './store/schema.ts';
import type { Telemetry } from './telemetry/telemetry.ts';

export { QueueFullError, ShuttingDownError } from './processing/dispatch.ts';

export interface SubmitInput {
  orgId: string;
  workspaceId: string | null;
  activities: ActivityInput[];
}

export type CancelResult =
  | { outcome: 'cancelled'; batch: BatchRecord }
  | { outcome: 'cancelling'; batch: BatchRecord }
  | { outcome: 'finished'; batch: BatchRecord }
  | { outcome: 'not_found' };

export interface BatchService {
  start(): Promise<void>;
  submit(input: SubmitInput): Promise<{ batchId: string; state: BatchState }>;
  get(id: string): Promise<{ batch: BatchRecord; errors: ActivityError[]; transitions: TransitionRow[] } | undefined>;
  list(filters: BatchFilters): Promise<{ batches: BatchRecord[]; total: number }>;
  cancel(id: string): Promise<CancelResult>;
  /** Stops taking batches and waits for the ones in flight. */
  drain(): Promise<void>;
  /** Deletes finished batches older than the retention (RETENTION_MINUTES); returns how many. */
  prune(): Promise<number>;
  readonly stats: DispatchStats;
}

export function createBatchService(options: {
  config: ServerConfig;
  db: Database;
  telemetry: Telemetry;
  /** How batches reach a worker: the in-memory queue, or BullMQ (see processing/dispatch.ts). */
  dispatch: (transitions: Transitioner) => Dispatch;
}): BatchService {
  const { config, db, telemetry } = options;
  const { batches, logger } = telemetry;
  const transitions = createTransitioner(db);
  const dispatch = options.dispatch(transitions);

  let draining = false;
  let pruneTimer: ReturnType<typeof setInterval> | undefined;
  let pruning: Promise<number> | undefined;

  async function prune(): Promise<number> {
    if (config.retentionMs === undefined) return 0;
    let deleted = 0;
    for (;;) {
      const batch = await pruneFinishedBatches(db, new Date(Date.now() - config.retentionMs));
      deleted += batch;
      if (batch === 0 || draining) break;
    }
    // PGlite runs no autovacuum: without VACUUM the deleted rows' space is never reused.
    if (deleted > 0 && db.kind === 'pglite') await db.query('VACUUM');
    if (deleted > 0) telemetry.logger.info({ deleted, retention_ms: config.retentionMs }, 'finished batches pruned');
    return deleted;
  }

  function prunePeriodically(): void {
    if (config.retentionMs === undefined) return;
    const every = Math.max(1_000, Math.min(60_000, Math.floor(config.retentionMs / 2)));
    pruneTimer = setInterval(() => {
      pruning ??= prune()
        .catch((error: unknown) => {
          telemetry.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'pruning finished batches failed');
          return 0;
        })
        .finally(() => (pruning = undefined));
    }, every);
    pruneTimer.unref();
  }

  return {
    async start() {
      await migrate(db);
      await dispatch.start();
      prunePeriodically();
    },

    async submit(input) {
      if (draining) throw new ShuttingDownError();
      const batchId = randomUUID();
      const ref = {
        id: batchId,
        orgId: input.orgId,
        ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}),
        activityCount: input.activities.length,
      };
      await dispatch.submit(ref, (traceCarrier) =>
        createBatch(db, { id: batchId, orgId: input.orgId, workspaceId: input.workspaceId, activities: input.activities, traceCarrier }),
      );
      logger.info({ batch_id: batchId, org_id: input.orgId, activities: input.activities.length }, 'batch queued');
      return { batchId, state: 'queued' };
    },

    async get(id) {
      const batch = await getBatch(db, id);
      if (!batch) return undefined;
      const [errors, history] = await Promise.all([activityErrors(db, id), batchTransitions(db, id)]);
      return { batch, errors, transitions: history };
    },

    list: (filters) => listBatches(db, filters),

    async cancel(id) {
      const batch = await getBatch(db, id);
      if (!batch) return { outcome: 'not_found' };
      if (isTerminal(batch.state)) return { outcome: 'finished', batch };
      if (batch.state === 'queued' || batch.state === 'pending') {
        if (await transitions.move(id, batch.state, 'cancelled', { reason: 'cancelled by request' })) {
          await dispatch.removeQueued(id);
          batches.cancelQueued(refOf(batch), 'cancelled by request');
          return { outcome: 'cancelled', batch: (await getBatch(db, id)) ?? batch };
        }
      }
      // Running (or picked up while we looked): the worker stops before its next activity.
      await requestCancel(db, id);
      dispatch.requestCancel(id);
      const latest = (await getBatch(db, id)) ?? batch;
      return isTerminal(latest.state) ? { outcome: 'finished', batch: latest } : { outcome: 'cancelling', batch: latest };
    },

    async drain() {
      draining = true;
      clearInterval(pruneTimer);
      await Promise.all([dispatch.drain(), pruning]);
    },

    prune,

    get stats() {
      return dispatch.stats;
    },
  };
}
