// OffGridFlow's batch state machine. Every transition goes through `assertTransition` and is
// recorded (batch_transitions table, span event, metric, audit log).

export const BATCH_STATES = ['pending', 'queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

const ALLOWED: Record<BatchState, readonly BatchState[]> = {
  pending: ['queued', 'cancelled', 'failed'],
  // queued → failed when the org lock could not be taken within its retries.
  queued: ['processing', 'cancelled', 'failed'],
  // processing → queued when a crash interrupted it and it is resumed after restart.
  processing: ['completed', 'failed', 'cancelled', 'queued'],
  completed: [],
  failed: [],
  cancelled: [],
};

export const TERMINAL_STATES: readonly BatchState[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(state: BatchState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function canTransition(from: BatchState, to: BatchState): boolean {
  return ALLOWED[from].includes(to);
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: BatchState,
    readonly to: BatchState,
  ) {
    super(`batch cannot move from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

export function assertTransition(from: BatchState, to: BatchState): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
