// Exports each check's last known status as an observable gauge, so alerts can use it:
// `health.check.status{check="database"}` → Prometheus `health_check_status{check="database"}`.
// The meter is taken structurally, so the main entry never needs @opentelemetry/api installed.
import { OgfError } from './errors.js';
import { STATUS_VALUE, type CheckReport } from './types.js';

/** The part of an OpenTelemetry `Meter` the checker uses. */
export interface MeterLike {
  createObservableGauge(
    name: string,
    options?: { description?: string; unit?: string },
  ): { addCallback(callback: (result: { observe(value: number, attributes?: Record<string, string>): void }) => void): void };
}

export const STATUS_GAUGE = 'health.check.status';

export function registerStatusGauge(meter: MeterLike, checks: () => Iterable<{ name: string; last(): CheckReport | undefined }>): void {
  if (typeof meter !== 'object' || meter === null || typeof meter.createObservableGauge !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'meter must be an OpenTelemetry Meter (an object with createObservableGauge)');
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
