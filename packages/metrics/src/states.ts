/** The batch states of OffGridFlow: pending → queued → processing → completed | failed | cancelled. */
export const BATCH_STATES = ['pending', 'queued', 'processing', 'completed', 'failed', 'cancelled'] as const;

/** A batch state. */
export type BatchState = (typeof BATCH_STATES)[number];

const known: ReadonlySet<string> = new Set(BATCH_STATES);

/**
 * The state as recorded on `batch.state.transitions`: one of BATCH_STATES (case and
 * surrounding spaces ignored), anything else `'other'`.
 *
 * @example
 * ```ts
 * normaliseState(' Completed '); // 'completed'
 * normaliseState('weird');       // 'other'
 * ```
 */
export function normaliseState(state: unknown): BatchState | 'other' {
  if (typeof state !== 'string') return 'other';
  const lower = state.trim().toLowerCase();
  return known.has(lower) ? (lower as BatchState) : 'other';
}
