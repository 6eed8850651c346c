// `run.lock(name, fn)`: the `lock.acquisition` span (wait, acquired, released or timed out), the
// lock metrics, and `fn` run while the lock is held. The lock is in-process by default, or yours.
import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { OgfError } from '../errors.js';
import type { Release } from './locks.js';
import { isThenable, rejected } from './shared.js';
import type { Deps } from './shared.js';
import type { LockOptions } from './types.js';

export interface LockOwner {
  readonly batchId: string;
  readonly orgId: string | undefined;
  readonly signal: AbortSignal;
  /** Whether contexts reach callbacks (a context manager is registered). */
  readonly propagates: boolean;
  /** The lock span's start options: its parent is the run's context. */
  readonly childOptions: { parent: Context };
}

function cancelled(signal: AbortSignal, name: string): unknown {
  return signal.reason ?? new OgfError('ERR_OGF_LIFECYCLE_MISUSE', `the run was cancelled while waiting for lock '${name}'`);
}

type Taken = Release | (() => void | Promise<void>) | 'timeout' | 'aborted' | false;

/**
 * Takes the lock, runs `fn` holding it, releases it. Promise chains rather than an async function:
 * with a free in-process lock and a callback that returns at once, no promise is made beyond the
 * one returned (each costs an async-hooks round trip where AsyncLocalStorage carries context).
 */
export function runLocked<R>(
  deps: Deps,
  owner: LockOwner,
  name: string,
  fn: () => R | Promise<R>,
  options: LockOptions | undefined,
  held: Set<string>,
): Promise<R> {
  const key = options?.key ?? owner.orgId ?? owner.batchId;
  const timeoutMs = options?.timeoutMs ?? deps.lockTimeoutMs;
  const span = deps.tracer.startLockAcquisitionSpan(
    owner.orgId === undefined ? { name, batchId: owner.batchId } : { name, orgId: owner.orgId, batchId: owner.batchId },
    owner.childOptions,
  );
  // OffGridFlow's span tree: lock.wait, then lock.acquired (with the wait) or the timeout.
  span.waiting();
  // The wait and hold times feed only the metrics and the span: when neither records, no clock reads.
  const timed = deps.metricsOn || span.span.isRecording();
  const started = timed ? deps.clock() : 0;

  const notTaken = (error: unknown): never => {
    held.delete(name);
    span.fail(error);
    throw error;
  };

  // Without a context manager `context.with` only calls its function: call it, and the lock
  // span's context (two context copies) is never built, as nothing could see it.
  const inSpan = <T>(fn: () => T): T => (owner.propagates ? context.with(span.context, fn) : fn());

  const withLock = (got: Taken): R | Promise<R> => {
    const waitMs = timed ? deps.clock() - started : 0;
    if (typeof got !== 'function') {
      held.delete(name);
      if (got === 'aborted') {
        const reason = cancelled(owner.signal, name);
        span.fail(reason);
        throw reason;
      }
      inSpan(() => deps.metrics.recordLockAcquisition({ lock: name, waitMs, acquired: false }));
      span.timedOut(waitMs);
      throw new OgfError('ERR_OGF_LOCK_TIMEOUT', `lock '${name}' for ${key} not acquired within ${timeoutMs} ms (timed out)`);
    }
    if (deps.metricsOn) inSpan(() => deps.metrics.recordLockAcquisition({ lock: name, waitMs, acquired: true }));
    span.acquired(waitMs);
    const heldFrom = timed ? deps.clock() : 0;
    // Releases the lock and ends the span; a promise only when your release returns one.
    const unlock = (): Promise<void> | undefined => {
      held.delete(name);
      const ended = (): void => span.released(timed ? deps.clock() - heldFrom : 0);
      const failed = (error: unknown): void => deps.misuse(`releasing lock '${name}' for ${key} failed: ${String(error)}`, error);
      let released: void | Promise<void> = undefined;
      try {
        released = got();
      } catch (error) {
        failed(error);
      }
      if (!isThenable(released)) {
        ended();
        return undefined;
      }
      return Promise.resolve(released).then(ended, (error: unknown) => {
        failed(error);
        ended();
      });
    };
    let result: R | Promise<R>;
    try {
      result = inSpan(fn);
    } catch (error) {
      const pending = unlock();
      if (pending === undefined) throw error;
      return pending.then(() => rejected<R>(error));
    }
    if (!isThenable(result)) {
      const pending = unlock();
      return pending === undefined ? result : pending.then(() => result);
    }
    return Promise.resolve(result).then(
      (value) => {
        const pending = unlock();
        return pending === undefined ? value : pending.then(() => value);
      },
      (error: unknown) => {
        const pending = unlock();
        if (pending === undefined) throw error;
        return pending.then(() => rejected<R>(error));
      },
    );
  };

  let taken: Taken | Promise<Taken>;
  try {
    taken = options?.acquire !== undefined ? options.acquire(owner.signal) : deps.locks.acquire(name, key, timeoutMs, owner);
  } catch (error) {
    return Promise.resolve().then(() => notTaken(error));
  }
  if (typeof taken === 'function') {
    try {
      return Promise.resolve(withLock(taken));
    } catch (error) {
      return rejected(error);
    }
  }
  return Promise.resolve(taken).then(withLock, notTaken);
}
