// Runs one registered check so that nothing it does can hurt the probe: a timeout that aborts its
// signal, normalisation of whatever it returns or throws, redaction, a result cache with
// single-flight (concurrent probes share one call), and a cap on calls that timed out but never
// settled, so a check that ignores its signal cannot pile up work probe after probe.
import { sanitizeDetails } from './details.js';
import { elapsedMs, isThenable } from './dependency.js';
import { redactFailure, scrubMessage } from '@ogf/core';
import { isHealthStatus } from '@ogf/core';
import type { CheckReport, HealthCheck, HealthStatus, Probe } from './types.js';

/** Calls that timed out and are still running; past this, probes report `timeout` without calling again. */
export const MAX_ABANDONED_CALLS = 2;

export interface RunnerConfig {
  name: string;
  check: HealthCheck;
  critical: boolean;
  probes: ReadonlySet<Probe>;
  timeoutMs: number;
  cacheTtlMs: number;
}

export interface CheckRunner {
  readonly name: string;
  readonly critical: boolean;
  readonly probes: ReadonlySet<Probe>;
  /** The current result: cached, shared with a call in flight, or from a new call. Never rejects. */
  run(): Promise<CheckReport>;
  /** The last stored result, without running anything. */
  last(): CheckReport | undefined;
  /** Aborts a call in flight (the check was unregistered). */
  dispose(): void;
}

type Outcome = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

export function createCheckRunner(config: RunnerConfig): CheckRunner {
  let stored: { report: CheckReport; seq: number; expiresAt: number } | undefined;
  let inflight: Promise<CheckReport> | undefined;
  let controller: AbortController | undefined;
  let seq = 0;
  let abandoned = 0;

  const finish = (
    status: HealthStatus,
    message: string | undefined,
    details: Record<string, unknown> | undefined,
    startedAt: number,
    start: number,
  ): CheckReport => ({
    name: config.name,
    status,
    ...(message ? { message } : {}),
    duration_ms: elapsedMs(start),
    checked_at: new Date(startedAt).toISOString(),
    critical: config.critical,
    ...(details ? { details } : {}),
  });

  const call = async (): Promise<CheckReport> => {
    const startedAt = Date.now();
    const start = performance.now();
    if (abandoned >= MAX_ABANDONED_CALLS) {
      // The previous calls ignored their abort signal and are still running: do not add another.
      return finish('unhealthy', 'timeout', { timeout_ms: config.timeoutMs, pending_calls: abandoned }, startedAt, start);
    }
    const own = new AbortController();
    controller = own;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await new Promise<Outcome>((resolve) => {
      let settled = false;
      let timedOut = false;
      const settle = (result: Outcome): void => {
        if (settled) {
          if (timedOut) abandoned -= 1;
          return;
        }
        settled = true;
        resolve(result);
      };
      timer = setTimeout(() => {
        if (settled) return;
        timedOut = true;
        abandoned += 1;
        settle({ kind: 'timeout' });
        settled = true;
        own.abort(timeoutReason(config.timeoutMs));
      }, config.timeoutMs);
      let returned: unknown;
      try {
        returned = config.check(own.signal);
      } catch (error) {
        settle({ kind: 'error', error });
        return;
      }
      if (isThenable(returned)) {
        Promise.resolve(returned).then(
          (value) => settle({ kind: 'value', value }),
          (error: unknown) => settle({ kind: 'error', error }),
        );
      } else {
        settle({ kind: 'value', value: returned });
      }
    });
    clearTimeout(timer);
    if (controller === own) controller = undefined;
    switch (outcome.kind) {
      case 'timeout':
        return finish('unhealthy', 'timeout', { timeout_ms: config.timeoutMs }, startedAt, start);
      case 'error':
        return finish('unhealthy', describeFailure(outcome.error), undefined, startedAt, start);
      case 'value':
        return normalise(outcome.value, (status, message, details) => finish(status, message, details, startedAt, start));
    }
  };

  const run = (): Promise<CheckReport> => {
    if (stored && performance.now() < stored.expiresAt) return Promise.resolve(stored.report);
    if (inflight) return inflight;
    const mine = ++seq;
    const pending = call().then((report) => {
      if (inflight === pending) inflight = undefined;
      // A result only replaces an older one: a call that finishes late never hides a newer answer.
      if (!stored || mine > stored.seq) {
        stored = { report, seq: mine, expiresAt: performance.now() + config.cacheTtlMs };
      }
      return stored.report;
    });
    inflight = pending;
    return pending;
  };

  return {
    name: config.name,
    critical: config.critical,
    probes: config.probes,
    run,
    last: () => stored?.report,
    dispose: () => controller?.abort(new Error('check unregistered')),
  };
}

function normalise(
  value: unknown,
  build: (status: HealthStatus, message: string | undefined, details: Record<string, unknown> | undefined) => CheckReport,
): CheckReport {
  if (typeof value !== 'object' || value === null || !isHealthStatus((value as { status?: unknown }).status)) {
    return build('unhealthy', 'invalid_result', undefined);
  }
  const result = value as { status: HealthStatus; message?: unknown; details?: unknown };
  const message = typeof result.message === 'string' ? scrubMessage(result.message) : undefined;
  return build(result.status, message, sanitizeDetails(result.details));
}

// Errors keep a redacted reason; anything else that was thrown (a string, a number, an object
// without a message) gets the generic one: we cannot tell what it means, only that the check failed.
function describeFailure(error: unknown): string {
  const isErrorLike =
    error instanceof Error || (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string');
  return isErrorLike ? redactFailure(error) : 'check_failed';
}

function timeoutReason(timeoutMs: number): unknown {
  const message = `health check timed out after ${timeoutMs} ms`;
  return typeof DOMException === 'function' ? new DOMException(message, 'TimeoutError') : new Error(message);
}
