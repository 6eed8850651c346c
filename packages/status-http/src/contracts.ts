// The shapes this package serves and the sources it reads them from. They mirror the workspace
// contracts (health body, batch summary, exporter surface) structurally: @ogf/status-http imports
// no other @ogf package, so @ogf/health, @ogf/prom-export and @ogf/metrics fit these by shape.

/** A health verdict. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** One check's result inside a {@link HealthReport}. */
export interface HealthCheckResult {
  name: string;
  status: HealthStatus;
  /** Omitted when empty. */
  message?: string;
  duration_ms: number;
  /** ISO time the check last ran. */
  checked_at: string;
  critical: boolean;
  details?: Record<string, unknown>;
}

/** The seed's health body, as a health source produces it. */
export interface HealthReport {
  status: HealthStatus;
  /** ISO time of the report. */
  timestamp: string;
  /** Whole seconds since the checker was created. */
  system_uptime_seconds: number;
  checks: Record<string, HealthCheckResult>;
  /** Same value as `status` (the seed carries both). */
  overall_status: HealthStatus;
}

/** Where health comes from, e.g. `createHealthChecker()` from @ogf/health. */
export interface HealthSource {
  /** Liveness: never depends on external systems. */
  live(): HealthReport | Promise<HealthReport>;
  /** Readiness: may be cached by the source. */
  ready(): HealthReport | Promise<HealthReport>;
  /** Every registered check. */
  report(): HealthReport | Promise<HealthReport>;
}

/** Latency quantiles in seconds; `null` when nothing was observed. */
export interface LatencyQuantiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** The seed's metrics JSON (served at `/metrics/json` and `/api/v1/metrics`). */
export interface BatchSummary {
  timestamp: string;
  batches_submitted: number;
  batches_processing: number;
  batches_completed: number;
  batches_failed: number;
  batches_cancelled: number;
  activities_total: number;
  activities_success: number;
  activities_failed: number;
  workers_active: number;
  workers_capacity: number;
  worker_utilization_percent: number;
  queue_size: number;
  /** Percent of finished activities that succeeded, one decimal. */
  success_rate: number;
  /** kg CO2e. */
  total_emissions: number;
  errors_by_type: Record<string, number>;
  batches_per_second: number;
  activities_per_second: number;
  batch_latency_seconds: LatencyQuantiles;
  activity_latency_seconds: LatencyQuantiles;
}

/** Prometheus text 0.0.4 or OpenMetrics 1.0.0. */
export type MetricsFormat = 'text' | 'openmetrics';

/** A rendered exposition. */
export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/**
 * Where metrics come from. `render` matches `PrometheusExporter#render` from @ogf/prom-export;
 * `summary` is typically `toBatchSummary(await exporter.snapshot())` from @ogf/metrics.
 */
export interface MetricsSource {
  /** Renders the exposition in `format` (already negotiated from `accept`). */
  render(options: { accept: string | null; format: MetricsFormat }): RenderedMetrics | Promise<RenderedMetrics>;
  /** The batch summary behind `/metrics/json` and the `metrics` block of `/status`. */
  summary(): BatchSummary | Promise<BatchSummary>;
}

/** Who is answering, shown by `/status`. */
export interface ServiceInfo {
  name: string;
  version: string;
  environment: string;
}

/** The seed's `/status` body. */
export interface StatusBody {
  service_name: string;
  service_version: string;
  environment: string;
  status: HealthStatus;
  /** Whole seconds. */
  uptime: number;
  timestamp: string;
  dependencies: Record<string, { status: HealthStatus; message: string }>;
  metrics: Pick<
    BatchSummary,
    | 'batches_submitted'
    | 'batches_processing'
    | 'batches_completed'
    | 'workers_active'
    | 'queue_size'
    | 'success_rate'
    | 'total_emissions'
  >;
}
