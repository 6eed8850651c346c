// Every state change of the store goes through here: a conditional update plus a row in the
// transitions table. Telemetry (metric, span event, audit record) is the lifecycle API's job.
import type { BatchState } from '../domain/states.ts';
import { assertTransition } from '../domain/states.ts';
import type { Database } from '../store/database.ts';
import { transitionBatch } from '../store/batches.ts';

export interface Transitioner {
  /** Moves the batch when it is still in `from`; false when another request moved it first. */
  move(
    batchId: string,
    from: BatchState,
    to: BatchState,
    details?: { reason?: string; workerId?: string; error?: string },
  ): Promise<boolean>;
}

export function createTransitioner(db: Database): Transitioner {
  return {
    async move(batchId, from, to, details = {}) {
      assertTransition(from, to);
      return transitionBatch(db, batchId, from, to, details);
    },
  };
}
