// Shutdown that loses nothing it can save, in a fixed order within one deadline:
//   1. readiness fails at once (health.beginShutdown), liveness stays healthy;
//   2. the application's drain hooks run (in parallel), each within its own deadline;
//   3. metrics and spans are flushed, then the providers are shut down, in whatever time is left.
// It never hangs past the deadline and it reports what it could not finish or deliver.
import type { Logger } from 'pino';
import type { DeliveryTracker } from './delivery.js';
import { OgfError } from './errors.js';

/** Work the application finishes before telemetry is flushed; aborted when its time is up. */
export type DrainHook = (signal: AbortSignal) => void | Promise<void>;

/** Options of a drain hook. */
export interface DrainOptions {
  /** How long this hook may take. Default: the whole shutdown deadline. */
  timeoutMs?: number;
}

/** How one drain hook ended. */
export interface DrainResult {
  name: string;
  outcome: 'done' | 'failed' | 'timeout';
  durationMs: number;
  error?: string;
}

/** What `shutdown()` did. */
export interface ShutdownReport {
  /** Every hook finished, everything flushed and delivered, within the deadline. */
  ok: boolean;
  /** A deadline passed: a drain hook's own, or the total one before flushing finished. */
  timedOut: boolean;
  durationMs: number;
  drains: DrainResult[];
  /** Names of drain hooks still running when shutdown gave up on them. */
  pending: string[];
  /** Sampled spans that ended but never reached the collector. */
  undeliveredSpans: number;
  /** Metric data points in exports that failed or did not finish. */
  undeliveredMetricPoints: number;
  /** Flush or provider shutdown failures, one line each. */
  errors: string[];
}

/** What is still outstanding right now (for a forced exit). */
export interface PendingWork {
  drains: string[];
  undeliveredSpans: number;
  undeliveredMetricPoints: number;
}

/** A provider as shutdown sees it. */
export interface Flushable {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The parts a shutdown coordinates. */
export interface ShutdownParts {
  beginShutdown(): void;
  providers: Flushable[];
  delivery: DeliveryTracker;
  logger: Logger;
  timeoutMs: number;
  /** Runs after the providers stopped (or the deadline passed), e.g. to unregister globals. */
  finally?: () => void;
}

/** Registers drain hooks and runs the shutdown once. */
export interface ShutdownController {
  addDrainHook(name: string, hook: DrainHook, options?: DrainOptions): () => void;
  forceFlush(timeoutMs?: number): Promise<void>;
  shutdown(options?: { timeoutMs?: number }): Promise<ShutdownReport>;
  pending(): PendingWork;
}

const TIMED_OUT = Symbol('timed out');

/** Resolves with the promise's value, or with TIMED_OUT once `ms` pass; never rejects. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT | { error: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  const settled = promise.then(
    (value) => value,
    (error: unknown) => ({ error }),
  );
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the shutdown coordinator for a set of parts.
 *
 * @example
 * ```ts
 * const controller = createShutdownController({ beginShutdown: () => health.beginShutdown(), providers, delivery, logger, timeoutMs: 10_000 });
 * controller.addDrainHook('worker-pool', (signal) => pool.drain(signal), { timeoutMs: 5_000 });
 * const report = await controller.shutdown();
 * ```
 */
export function createShutdownController(parts: ShutdownParts): ShutdownController {
  const hooks = new Map<string, { hook: DrainHook; timeoutMs: number | undefined }>();
  const running = new Set<string>();
  let result: Promise<ShutdownReport> | undefined;

  const runHook = async (name: string, hook: DrainHook, ms: number): Promise<DrainResult> => {
    const started = performance.now();
    const controller = new AbortController();
    running.add(name);
    const outcome = await within(
      (async () => {
        await hook(controller.signal);
      })(),
      ms,
    );
    const durationMs = Math.round(performance.now() - started);
    if (outcome === TIMED_OUT) {
      controller.abort(new Error(`drain hook "${name}" did not finish within ${ms} ms`));
      return { name, outcome: 'timeout', durationMs };
    }
    running.delete(name);
    if (typeof outcome === 'object' && outcome !== null && 'error' in outcome) {
      return { name, outcome: 'failed', durationMs, error: message(outcome.error) };
    }
    return { name, outcome: 'done', durationMs };
  };

  const run = async (timeoutMs: number): Promise<ShutdownReport> => {
    const started = performance.now();
    const remaining = (): number => Math.max(0, timeoutMs - (performance.now() - started));
    const errors: string[] = [];
    const { logger } = parts;
    try {
      parts.beginShutdown();
    } catch (error) {
      errors.push(`beginShutdown: ${message(error)}`);
    }
    logger.info({ event: 'shutdown.begin', timeout_ms: timeoutMs, drain_hooks: [...hooks.keys()] }, 'shutdown started');

    const drains = await Promise.all(
      [...hooks].map(([name, { hook, timeoutMs: own }]) => runHook(name, hook, Math.min(own ?? Infinity, remaining()))),
    );
    for (const drain of drains) {
      if (drain.outcome !== 'done') logger.warn({ event: 'shutdown.drain', ...drain }, `drain hook ${drain.name}: ${drain.outcome}`);
    }

    let timedOut = false;
    for (const step of ['forceFlush', 'shutdown'] as const) {
      const outcomes = await within(Promise.allSettled(parts.providers.map((p) => p[step]())), remaining());
      if (outcomes === TIMED_OUT) {
        timedOut = true;
        errors.push(`${step}: did not finish within the shutdown deadline`);
        break;
      }
      if (Array.isArray(outcomes)) {
        for (const outcome of outcomes) if (outcome.status === 'rejected') errors.push(`${step}: ${message(outcome.reason)}`);
      }
    }
    try {
      parts.finally?.();
    } catch (error) {
      errors.push(`finally: ${message(error)}`);
    }

    const pending = [...running];
    const report: ShutdownReport = {
      ok: false,
      timedOut: timedOut || drains.some((d) => d.outcome === 'timeout'),
      durationMs: Math.round(performance.now() - started),
      drains,
      pending,
      undeliveredSpans: parts.delivery.undeliveredSpans(),
      undeliveredMetricPoints: parts.delivery.undeliveredMetricPoints(),
      errors,
    };
    report.ok =
      !report.timedOut &&
      errors.length === 0 &&
      drains.every((d) => d.outcome === 'done') &&
      report.undeliveredSpans === 0 &&
      report.undeliveredMetricPoints === 0;
    const { drains: _drains, ...summary } = report;
    if (report.ok) logger.info({ event: 'shutdown.end', ...summary }, 'shutdown complete');
    else logger.warn({ event: 'shutdown.end', ...summary }, 'shutdown finished with losses');
    return report;
  };

  return {
    addDrainHook(name, hook, options = {}) {
      hooks.set(name, { hook, timeoutMs: options.timeoutMs });
      return () => {
        hooks.delete(name);
      };
    },
    async forceFlush(timeoutMs = parts.timeoutMs) {
      const outcome = await within(Promise.all(parts.providers.map((p) => p.forceFlush())), timeoutMs);
      if (outcome === TIMED_OUT) throw new OgfError('ERR_OGF_SHUTDOWN', `forceFlush did not finish within ${timeoutMs} ms`);
      if (!Array.isArray(outcome)) throw outcome.error;
    },
    shutdown(options = {}) {
      result ??= run(options.timeoutMs ?? parts.timeoutMs);
      return result;
    },
    pending: () => ({
      drains: [...running],
      undeliveredSpans: parts.delivery.undeliveredSpans(),
      undeliveredMetricPoints: parts.delivery.undeliveredMetricPoints(),
    }),
  };
}
