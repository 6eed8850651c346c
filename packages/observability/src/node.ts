// @ogf/observability/node: SIGTERM/SIGINT handling for Node. The first signal runs
// `obs.shutdown()` (readiness fails at once, drain hooks finish, telemetry is flushed) and exits 0;
// a second signal, or the deadline passing, exits non-zero at once and logs what was still pending.
import type { Logger } from 'pino';
import { OgfError } from './errors.js';
import type { PendingWork, ShutdownReport } from './shutdown.js';

/** A signal name, e.g. `'SIGTERM'`. */
export type SignalName = 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGQUIT' | 'SIGUSR1' | 'SIGUSR2' | 'SIGBREAK';

// Typed structurally, so the published types need no @types/node.
interface NodeProcess {
  on(event: string, listener: (signal: SignalName) => void): unknown;
  off(event: string, listener: (signal: SignalName) => void): unknown;
  exit(code: number): void;
}
type Timer = ReturnType<typeof setTimeout> & { unref?: () => void };

function nodeProcess(): NodeProcess {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (proc === undefined || typeof proc.on !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'installShutdownHandlers needs a Node-compatible `process` with signal events');
  }
  return proc;
}

/** The part of `Observability` the helper needs. */
export interface ShutdownTarget {
  readonly logger: Logger;
  readonly config: { readonly shutdownTimeoutMs: number };
  shutdown(options?: { timeoutMs?: number }): Promise<ShutdownReport>;
  pending(): PendingWork;
}

/** Options of `installShutdownHandlers`. */
export interface ShutdownHandlerOptions {
  /** Signals to handle. Default `['SIGTERM', 'SIGINT']`. */
  signals?: readonly SignalName[];
  /** Total time before a forced exit. Default: the observability's `shutdownTimeoutMs`. */
  timeoutMs?: number;
  /** Exit code of a clean shutdown. Default 0. */
  exitCode?: number;
  /** Exit code when forced (second signal, deadline, or shutdown did not finish in time). Default 1. */
  forcedExitCode?: number;
  /** Called with the report before a clean exit (e.g. to close a server). */
  onShutdown?: (report: ShutdownReport) => void | Promise<void>;
  /** How to exit. Default `process.exit`. */
  exit?: (code: number) => void;
  /**
   * The first signal repeated within this many ms is not a second signal. Default 1000; 0 makes
   * every repeat force the exit. Process managers forward the terminal's Ctrl-C to a process
   * that got it already (pnpm, npm and tsx all do): without this, one Ctrl-C under `pnpm run`
   * arrived twice and forced exit 1 mid-drain.
   */
  repeatWindowMs?: number;
}

/**
 * Handles SIGTERM and SIGINT: first signal drains and exits 0; a second signal or the deadline
 * forces exit 1 and logs what was pending. Returns a function that removes the handlers.
 *
 * @example
 * ```ts
 * import { installShutdownHandlers } from '@ogf/observability/node';
 * const obs = createObservability();
 * installShutdownHandlers(obs, { timeoutMs: 20_000 });
 * ```
 */
export function installShutdownHandlers(obs: ShutdownTarget, options: ShutdownHandlerOptions = {}): () => void {
  const process = nodeProcess();
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const timeoutMs = options.timeoutMs ?? obs.config.shutdownTimeoutMs;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const { logger } = obs;
  const repeatWindowMs = options.repeatWindowMs ?? 1_000;
  if (!(Number.isFinite(repeatWindowMs) && repeatWindowMs >= 0)) {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      `installShutdownHandlers: repeatWindowMs must be a number >= 0, got ${String(repeatWindowMs)}`,
    );
  }
  let firstSignal: string | undefined;
  let firstAt = 0;
  let exited = false;
  let deadline: Timer | undefined;

  const finish = (code: number): void => {
    if (exited) return;
    exited = true;
    if (deadline) clearTimeout(deadline);
    logger.flush?.();
    exit(code);
  };

  const force = (why: string): void => {
    const pending = obs.pending();
    logger.error(
      {
        event: 'shutdown.forced',
        reason: why,
        pending_drains: pending.drains,
        undelivered_spans: pending.undeliveredSpans,
        undelivered_metric_points: pending.undeliveredMetricPoints,
      },
      `forced exit: ${why}`,
    );
    finish(options.forcedExitCode ?? 1);
  };

  const onSignal = (signal: SignalName): void => {
    if (firstSignal !== undefined) {
      if (signal === firstSignal && performance.now() - firstAt < repeatWindowMs) {
        logger.info(
          { event: 'shutdown.signal_repeat', signal, repeat_window_ms: repeatWindowMs },
          `${signal} repeated within ${repeatWindowMs} ms (forwarded by a process manager?); still draining`,
        );
        return;
      }
      force(`second signal ${signal} during shutdown`);
      return;
    }
    firstSignal = signal;
    firstAt = performance.now();
    logger.info({ event: 'shutdown.signal', signal, timeout_ms: timeoutMs }, `${signal} received, draining`);
    // A little past the shutdown's own deadline: shutdown() reports first when it can.
    deadline = setTimeout(() => force(`shutdown did not finish within ${timeoutMs} ms`), timeoutMs + 250);
    deadline.unref?.();
    obs.shutdown({ timeoutMs }).then(
      async (report) => {
        try {
          await options.onShutdown?.(report);
        } catch (error) {
          logger.error({ event: 'shutdown.hook', err: error instanceof Error ? error.message : String(error) }, 'onShutdown failed');
        }
        if (report.timedOut) force('shutdown deadline passed');
        else finish(options.exitCode ?? 0);
      },
      (error: unknown) => force(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
