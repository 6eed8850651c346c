// What an HTTP surface reads from: a health source, a metrics source and who is answering.
// @ogf/health's checker and @ogf/prom-export's exporter fit them; @ogf/status-http consumes them.
import type { HealthReport } from './health.js';
import type { ExpositionFormat } from './negotiate.js';
import type { BatchSummary } from './summary.js';

/** Where health comes from, e.g. `createHealthChecker()` from @ogf/health. */
export interface HealthSource {
  /** Liveness: never depends on external systems. */
  live(): HealthReport | Promise<HealthReport>;
  /** Readiness: may be cached by the source. */
  ready(): HealthReport | Promise<HealthReport>;
  /** Every registered check. */
  report(): HealthReport | Promise<HealthReport>;
}

/** A rendered exposition: what `PrometheusExporter#render` of @ogf/prom-export returns. */
export interface Exposition {
  contentType: string;
  body: string;
}

/**
 * An exposition whose body is a stream of UTF-8 bytes, produced while it is read: what
 * `PrometheusExporter#renderStream` of @ogf/prom-export returns.
 */
export interface StreamedExposition {
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * Where metrics come from. `render` fits `PrometheusExporter#render` from @ogf/prom-export;
 * `summary` is typically `toBatchSummary(await exporter.snapshot())` from @ogf/metrics.
 */
export interface MetricsSource {
  /** Renders the exposition in `format` (already negotiated from `accept`). */
  render(options: { accept: string | null; format: ExpositionFormat }): Exposition | Promise<Exposition>;
  /**
   * Optional: renders the exposition as a byte stream (fits `PrometheusExporter#renderStream`).
   * When present, HTTP surfaces stream GET bodies from it instead of building one string; it
   * should reject when the collection fails (before any byte is sent) and share concurrent renders
   * itself, since each call's stream is read by one response only.
   */
  renderStream?(options: { accept: string | null; format: ExpositionFormat }): StreamedExposition | Promise<StreamedExposition>;
  /** The batch summary behind `/metrics/json` and the `metrics` block of `/status`. */
  summary(): BatchSummary | Promise<BatchSummary>;
}

/** Who is answering, shown by `/status`. */
export interface ServiceInfo {
  name: string;
  version: string;
  environment: string;
  /** Which process of the service answers (`service.instance.id`), when several run: `/status` field `instance_id`. */
  instance?: string;
}
