// `run.lock(name, fn)`: the `lock.acquisition` span (wait, acquired, released or timed out), the
// lock metrics, and `fn` run while the lock is held. The lock is in-process by default, or yours.
import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { OgfError } from '../errors.js';
import type { Release } from './locks.js';
import { isThenable } from './shared.js';
import type { Deps } from './shared.js';
import type { LockOptions } from './types.js';

export interface LockOwner {
  readonly batchId: string;
  readonly orgId: string | undefined;
  readonly signal: AbortSignal;
  readonly context: Context;
}

function cancelled(signal: AbortSignal, name: string): unknown {
  return signal.reason ?? new OgfError('ERR_OGF_LIFECYCLE_MISUSE', `the run was cancelled while waiting for lock '${name}'`);
}

export async function runLocked<R>(
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
    { parent: owner.context },
  );
  // OffGridFlow's span tree: lock.wait, then lock.acquired (with the wait) or the timeout.
  span.waiting();
  const started = deps.clock();
  let got: Release | (() => void | Promise<void>) | 'timeout' | 'aborted' | false;
  try {
    if (options?.acquire !== undefined) {
      got = await options.acquire(owner.signal);
    } else {
      const taken = deps.locks.acquire(`${name}\u0000${key}`, timeoutMs, () => owner.signal);
      got = typeof taken === 'function' ? taken : await taken;
    }
  } catch (error) {
    held.delete(name);
    span.fail(error);
    throw error;
  }
  const waitMs = deps.clock() - started;
  if (typeof got !== 'function') held.delete(name);
  if (got === 'aborted') {
    const reason = cancelled(owner.signal, name);
    span.fail(reason);
    throw reason;
  }
  if (got === 'timeout' || got === false || typeof got !== 'function') {
    deps.metrics.recordLockAcquisition({ lock: name, waitMs, acquired: false });
    span.timedOut(waitMs);
    throw new OgfError('ERR_OGF_LOCK_TIMEOUT', `lock '${name}' for ${key} not acquired within ${timeoutMs} ms (timed out)`);
  }
  deps.metrics.recordLockAcquisition({ lock: name, waitMs, acquired: true });
  span.acquired(waitMs);
  const heldFrom = deps.clock();
  const release = got;
  try {
    return await context.with(span.context, fn);
  } finally {
    held.delete(name);
    try {
      const released = release();
      if (isThenable(released)) await released;
    } catch (error) {
      deps.misuse(`releasing lock '${name}' for ${key} failed: ${String(error)}`, error);
    }
    span.released(deps.clock() - heldFrom);
  }
}
