// Every state change goes through here: the store (conditional update + transitions table), the
// telemetry (metric, audit log) and, when given, the active span's `state.transition` event.
import type { BatchState } from '../domain/states.ts';
import { assertTransition } from '../domain/states.ts';
import type { Database } from '../store/database.ts';
import { transitionBatch } from '../store/batches.ts';
import type { SpanScope, Telemetry } from '../telemetry/telemetry.ts';

export interface Transitioner {
  move(
    batchId: string,
    from: BatchState,
    to: BatchState,
    details?: { reason?: string; workerId?: string; error?: string; span?: SpanScope },
  ): Promise<boolean>;
  /** Reports transitions the store already made (batch creation). */
  recorded(batchId: string, from: BatchState | null, to: BatchState, details?: { reason?: string; span?: SpanScope }): void;
}

export function createTransitioner(db: Database, telemetry: Telemetry): Transitioner {
  const recorded: Transitioner['recorded'] = (batchId, from, to, details = {}) => {
    details.span?.event('state.transition', { 'batch.id': batchId, from: from ?? 'none', to });
    telemetry.transition(batchId, from, to, undefined, details.reason);
  };
  return {
    recorded,
    async move(batchId, from, to, details = {}) {
      assertTransition(from, to);
      const moved = await transitionBatch(db, batchId, from, to, details);
      if (!moved) return false;
      details.span?.event('state.transition', { 'batch.id': batchId, from, to });
      telemetry.transition(batchId, from, to, details.workerId, details.reason);
      return true;
    },
  };
}
