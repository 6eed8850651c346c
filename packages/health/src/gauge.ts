// Exports each check's last known status as an observable gauge, so alerts can use it:
// `health.check.status{check="database"}` → Prometheus `health_check_status{check="database"}`.
// The meter provider is taken structurally, so the main entry never needs @opentelemetry/api installed.
import { OgfError } from './errors.js';
import { STATUS_VALUE, type CheckReport } from './types.js';

/** The part of an OpenTelemetry `Meter` the checker uses. */
export interface MeterLike {
  createObservableGauge(
    name: string,
    options?: { description?: string; unit?: string },
  ): { addCallback(callback: (result: { observe(value: number, attributes?: Record<string, string>): void }) => void): void };
}

/** The part of an OpenTelemetry `MeterProvider` the checker uses. */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): MeterLike;
}

/** The default instrumentation scope of the gauge: the package's name. */
const DEFAULT_SCOPE_NAME = '@ogf/health';

export const STATUS_GAUGE = 'health.check.status';

/** The meter of `scopeName`/`scopeVersion` from a provider; throws an OgfError when it is none. */
export function meterFrom(provider: MeterProviderLike, scopeName: string | undefined, scopeVersion: string | undefined): MeterLike {
  if (typeof provider !== 'object' || provider === null || typeof provider.getMeter !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'meterProvider must be an OpenTelemetry MeterProvider (an object with getMeter)');
  }
  if (scopeName !== undefined && (typeof scopeName !== 'string' || scopeName === '')) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `scopeName must be a non-empty string, got ${JSON.stringify(scopeName)}`);
  }
  return provider.getMeter(scopeName ?? DEFAULT_SCOPE_NAME, scopeVersion);
}

export function registerStatusGauge(meter: MeterLike, checks: () => Iterable<{ name: string; last(): CheckReport | undefined }>): void {
  if (typeof meter !== 'object' || meter === null || typeof meter.createObservableGauge !== 'function') {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      'meterProvider.getMeter() must return an OpenTelemetry Meter (an object with createObservableGauge)',
    );
  }
  const gauge = meter.createObservableGauge(STATUS_GAUGE, {
    description: 'Last known status of each health check: 1 healthy, 0.5 degraded, 0 unhealthy.',
  });
  gauge.addCallback((result) => {
    // Collection must never fail because of us; a check that has not run yet is simply absent.
    try {
      for (const check of checks()) {
        const last = check.last();
        if (last) result.observe(STATUS_VALUE[last.status], { check: check.name });
      }
    } catch {
      // nothing to report: the next collection tries again
    }
  });
}
