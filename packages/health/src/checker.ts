// The health checker: a registry of checks, three probes built from it, and the lifecycle that
// decides readiness beyond the checks (start-up, shutdown).
import { isDependencyCheck } from './dependency.js';
import { OgfError } from './errors.js';
import { meterFrom, registerStatusGauge, type MeterProviderLike } from './gauge.js';
import { optionalNumber } from './options.js';
import { createCheckRunner, type CheckRunner } from './runner.js';
import type { CheckReport, HealthCheck, HealthReport, HealthStatus, Probe, RegisterOptions } from './types.js';

export interface HealthCheckerOptions {
  /** Default time a check may take before it is reported `timeout` and its signal aborted. Default 3000 ms. */
  timeoutMs?: number;
  /** Default time a result is reused; concurrent probes always share one call. Default 1000 ms. */
  cacheTtlMs?: number;
  /**
   * `'auto'` (default): readiness turns ready at the first pass that is not unhealthy, or at
   * `markStarted()`. `'manual'`: only `markStarted()` does.
   */
  startup?: 'auto' | 'manual';
  /** Exports the gauge `health.check.status` (1, 0.5, 0) per check from this MeterProvider. Default: none (no gauge). */
  meterProvider?: MeterProviderLike;
  /** Instrumentation scope (meter) name of the gauge. Default `'@ogf/health'`. */
  scopeName?: string;
  /** Instrumentation scope (meter) version of the gauge. Default: none. */
  scopeVersion?: string;
}

export interface HealthChecker {
  /** Adds a check. Throws OgfError on a duplicate or reserved name, or bad options. */
  register(name: string, check: HealthCheck, options?: RegisterOptions): void;
  /** Removes a check (aborting a call in flight); false when there was none by that name. */
  unregister(name: string): boolean;
  /** Liveness: the checks registered for it (by default none). Never affected by start-up or shutdown. */
  live(): Promise<HealthReport>;
  /** Readiness: the checks registered for it, gated by start-up and shutdown. */
  ready(): Promise<HealthReport>;
  /** Every check: the general /health body. */
  report(): Promise<HealthReport>;
  /** The last known results of every check, without running any. */
  snapshot(): HealthReport;
  /** Start-up is complete: readiness may turn ready. */
  markStarted(): void;
  /** Shutdown has begun: readiness fails at once (liveness does not), so traffic drains first. */
  beginShutdown(): void;
  readonly started: boolean;
  readonly shuttingDown: boolean;
}

/** The name of the synthetic entry that explains a start-up or shutdown verdict. */
export const LIFECYCLE_CHECK = 'lifecycle';

const PROBES: readonly Probe[] = ['liveness', 'readiness'];

/**
 * Creates a health checker.
 *
 * @example
 * const health = createHealthChecker({ timeoutMs: 2000 });
 * health.register('database', databaseCheck(pool));
 * const body = await health.ready(); // { status: 'healthy', checks: { database: { … } }, … }
 */
export function createHealthChecker(options: HealthCheckerOptions = {}): HealthChecker {
  if (typeof options !== 'object' || options === null) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'createHealthChecker expects an options object');
  }
  const defaultTimeoutMs = optionalNumber(options.timeoutMs, 'timeoutMs', 3_000, { exclusiveMin: true });
  const defaultCacheTtlMs = optionalNumber(options.cacheTtlMs, 'cacheTtlMs', 1_000);
  const startup = options.startup ?? 'auto';
  if (startup !== 'auto' && startup !== 'manual') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `startup must be 'auto' or 'manual', got ${String(startup)}`);
  }
  const runners = new Map<string, CheckRunner>();
  const createdAt = performance.now();
  let started = false;
  let shutdownAt: number | undefined;

  if (options.meterProvider !== undefined) {
    registerStatusGauge(meterFrom(options.meterProvider, options.scopeName, options.scopeVersion), () => runners.values());
  }

  const build = (reports: CheckReport[], extra?: CheckReport): HealthReport => {
    const checks: Record<string, CheckReport> = {};
    // defineProperty: a check may be called '__proto__' without touching the prototype.
    for (const report of extra ? [...reports, extra] : reports) {
      Object.defineProperty(checks, report.name, { value: report, enumerable: true, writable: true, configurable: true });
    }
    const status = aggregate(extra ? [...reports, extra] : reports);
    return {
      status,
      timestamp: new Date().toISOString(),
      system_uptime_seconds: Math.floor((performance.now() - createdAt) / 1000),
      checks,
      overall_status: status,
    };
  };

  const runAll = (filter: (runner: CheckRunner) => boolean): Promise<CheckReport[]> =>
    Promise.all([...runners.values()].filter(filter).map((runner) => runner.run()));

  const lifecycle = (message: 'starting' | 'shutting_down', at: number): CheckReport => ({
    name: LIFECYCLE_CHECK,
    status: 'unhealthy',
    message,
    duration_ms: 0,
    checked_at: new Date(at).toISOString(),
    critical: true,
  });

  // Readiness and the full report share the lifecycle gate; liveness never sees it.
  const gated = (reports: CheckReport[]): HealthReport => {
    if (shutdownAt !== undefined) return build(reports, lifecycle('shutting_down', shutdownAt));
    if (!started && startup === 'auto' && aggregate(reports) !== 'unhealthy') started = true;
    return started ? build(reports) : build(reports, lifecycle('starting', Date.now()));
  };

  return {
    register(name, check, registerOptions = {}) {
      if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
        throw new OgfError('ERR_OGF_INVALID_CHECK', 'a check name must be a non-empty string of at most 200 characters');
      }
      if (name === LIFECYCLE_CHECK) {
        throw new OgfError('ERR_OGF_RESERVED_NAME', `'${LIFECYCLE_CHECK}' is reserved for the start-up and shutdown entry`);
      }
      if (runners.has(name)) throw new OgfError('ERR_OGF_DUPLICATE_CHECK', `a check named '${name}' is already registered`);
      if (typeof check !== 'function') {
        throw new OgfError('ERR_OGF_INVALID_CHECK', `check '${name}' must be a function (signal) => result, got ${typeof check}`);
      }
      const probes = new Set<Probe>(registerOptions.probes ?? ['readiness']);
      if (probes.size === 0 || [...probes].some((probe) => !PROBES.includes(probe))) {
        throw new OgfError('ERR_OGF_INVALID_OPTION', `probes of '${name}' must be a non-empty list of 'liveness' and 'readiness'`);
      }
      if (probes.has('liveness') && isDependencyCheck(check)) {
        throw new OgfError(
          'ERR_OGF_DEPENDENCY_IN_LIVENESS',
          `check '${name}' calls an external dependency and cannot be a liveness check: register it for readiness ` +
            '(a liveness failure restarts the process, which does not bring a database back)',
        );
      }
      if (registerOptions.critical !== undefined && typeof registerOptions.critical !== 'boolean') {
        throw new OgfError('ERR_OGF_INVALID_OPTION', `critical of '${name}' must be a boolean`);
      }
      runners.set(
        name,
        createCheckRunner({
          name,
          check,
          critical: registerOptions.critical ?? true,
          probes,
          timeoutMs: optionalNumber(registerOptions.timeoutMs, `timeoutMs of '${name}'`, defaultTimeoutMs, { exclusiveMin: true }),
          cacheTtlMs: optionalNumber(registerOptions.cacheTtlMs, `cacheTtlMs of '${name}'`, defaultCacheTtlMs),
        }),
      );
    },
    unregister(name) {
      const runner = runners.get(name);
      if (!runner) return false;
      runner.dispose();
      return runners.delete(name);
    },
    async live() {
      return build(await runAll((runner) => runner.probes.has('liveness')));
    },
    async ready() {
      // Shutting down: answer at once, without waiting for any dependency.
      if (shutdownAt !== undefined) return build([], lifecycle('shutting_down', shutdownAt));
      return gated(await runAll((runner) => runner.probes.has('readiness')));
    },
    async report() {
      return gated(await runAll(() => true));
    },
    snapshot() {
      const reports: CheckReport[] = [];
      for (const runner of runners.values()) {
        const last = runner.last();
        if (last) reports.push(last);
      }
      if (shutdownAt !== undefined) return build(reports, lifecycle('shutting_down', shutdownAt));
      return started ? build(reports) : build(reports, lifecycle('starting', Date.now()));
    },
    markStarted() {
      started = true;
    },
    beginShutdown() {
      shutdownAt ??= Date.now();
    },
    get started() {
      return started;
    },
    get shuttingDown() {
      return shutdownAt !== undefined;
    },
  };
}

/** Critical unhealthy → unhealthy; any other unhealthy or degraded → degraded; else healthy. */
function aggregate(reports: readonly CheckReport[]): HealthStatus {
  let status: HealthStatus = 'healthy';
  for (const report of reports) {
    if (report.status === 'unhealthy') {
      if (report.critical) return 'unhealthy';
      status = 'degraded';
    } else if (report.status === 'degraded') {
      status = 'degraded';
    }
  }
  return status;
}

/**
 * The HTTP status for a health body: 200 when healthy or degraded, 503 when unhealthy.
 *
 * @example
 * const body = await health.ready();
 * return Response.json(body, { status: httpStatusFor(body) });
 */
export function httpStatusFor(report: Pick<HealthReport, 'status'>): 200 | 503 {
  return report.status === 'unhealthy' ? 503 : 200;
}
