// The options of createBullMQObservability and of observe(), normalised once.
import type { Observability } from '@ogf/observability';
import type { OgfError } from './errors.js';
import { OgfError as Err } from './errors.js';
import type { BacklogCheckOptions } from './queue-health.js';
import type { WorkerCheckOptions } from './worker-health.js';

/** Options of `createBullMQObservability`. */
export interface BullMQObservabilityOptions {
  /** The `Observability` from `createObservability`: its lifecycle, providers and health checker are used. */
  obs: Observability;
  /** Told about carriers it could not read, queues it could not collect, failed telemetry calls. Default: a `warn` line in `obs.logger`. */
  onError?: (error: OgfError) => void;
  /** Instrumentation scope (tracer and meter) name. Default `'@ogf/bullmq'`. */
  scopeName?: string;
  /** Instrumentation scope version. Default: none. */
  scopeVersion?: string;
  /**
   * BullMQ's own job metrics through `telemetry.meter` (BullMQ ≥ 6): `bullmq.jobs.completed`,
   * `.failed`, `.delayed`, `.retried`, `.waiting`, `.waiting_children` and `bullmq.job.duration` (s).
   * Default true.
   */
  jobMetrics?: boolean;
  /** How long reading a queue at collect time may take; past it, that collection has no new reading of the queue. Default 2000 ms. */
  collectTimeoutMs?: number;
  /** Epoch milliseconds, for ages. Default `Date.now`. */
  now?: () => number;
}

/** Options of `observe(queue)`. */
export interface ObserveQueueOptions {
  /** Register `bullmq.queue.jobs` and `bullmq.queue.oldest_waiting.age`. Default true. */
  gauges?: boolean;
  /**
   * Register the health checks `bullmq:<queue>:redis` (critical) and `bullmq:<queue>:backlog`
   * (not critical unless `backlogCritical`). `false` for none. Default true.
   */
  health?: boolean;
  /** Thresholds of the backlog check. Default: none (always healthy, with the readings as details). */
  thresholds?: BacklogCheckOptions;
  /** An unhealthy backlog fails readiness (instead of degrading it). Default false. */
  backlogCritical?: boolean;
  /** Prefix of the check names. Default `bullmq:<queue name>`. */
  checkName?: string;
}

/** Options of `observe(worker)`. */
export interface ObserveWorkerOptions extends WorkerCheckOptions {
  /** Register the health check `bullmq:<queue>:worker` (critical). `false` for none. Default true. */
  health?: boolean;
  /** The check's name. Default `bullmq:<queue name>:worker`, then `…:worker-2`, … for more workers of that queue. */
  checkName?: string;
}

export interface Settings {
  obs: Observability;
  report: (error: OgfError) => void;
  scopeName: string;
  scopeVersion: string | undefined;
  jobMetrics: boolean;
  collectTimeoutMs: number;
  now: () => number;
}

export function normalize(options: BullMQObservabilityOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new Err('ERR_OGF_INVALID_OPTION', 'createBullMQObservability expects { obs, ... } with obs from createObservability()');
  }
  const { obs } = options;
  if (typeof obs !== 'object' || obs === null || typeof obs.batches?.process !== 'function' || obs.tracerProvider === undefined) {
    throw new Err('ERR_OGF_INVALID_OPTION', 'createBullMQObservability: obs must be the Observability createObservability() returned');
  }
  const collectTimeoutMs = options.collectTimeoutMs ?? 2000;
  if (typeof collectTimeoutMs !== 'number' || !Number.isFinite(collectTimeoutMs) || collectTimeoutMs <= 0) {
    throw new Err('ERR_OGF_INVALID_OPTION', `collectTimeoutMs must be a positive number of milliseconds, got ${String(collectTimeoutMs)}`);
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new Err('ERR_OGF_INVALID_OPTION', 'onError must be a function (error: OgfError) => void');
  }
  const hook =
    options.onError ??
    ((error: OgfError): void => {
      obs.logger.warn({ event: 'ogf.error', source: 'bullmq', code: error.code, err: error.message }, error.message);
    });
  return {
    obs,
    report: (error) => {
      try {
        hook(error);
      } catch {
        // A failing hook must not fail a job or a scrape.
      }
    },
    scopeName: options.scopeName ?? '@ogf/bullmq',
    scopeVersion: options.scopeVersion,
    jobMetrics: options.jobMetrics ?? true,
    collectTimeoutMs,
    now: options.now ?? Date.now,
  };
}
