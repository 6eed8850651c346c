// Retries with exponential backoff and full jitter, for transient faults only.
import { isTransient } from './faults.ts';

export interface RetryOptions {
  /** Total attempts including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Called before each retry with the attempt number that failed (1-based) and its error. */
  onRetry?: (attempt: number, error: unknown) => void;
  /** Called when an attempt after the first succeeds. */
  onRecovered?: (attempts: number) => void;
  /** Called when the last allowed attempt failed (or the error is not retryable). */
  onGiveUp?: (attempt: number, error: unknown) => void;
  isRetryable?: (error: unknown) => boolean;
}

export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task`; on a retryable error waits and tries again, up to `attempts` times. */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<{ value: T; attempts: number }> {
  const retryable = options.isRetryable ?? isTransient;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const value = await task(attempt);
      if (attempt > 1) options.onRecovered?.(attempt);
      return { value, attempts: attempt };
    } catch (error) {
      if (attempt >= options.attempts || !retryable(error)) {
        options.onGiveUp?.(attempt, error);
        throw error;
      }
      options.onRetry?.(attempt, error);
      await sleep(backoffDelay(attempt, options));
    }
  }
}
