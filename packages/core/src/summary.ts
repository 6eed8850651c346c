// The batch summary: the metrics JSON served at /metrics/json and /api/v1/metrics (the field
// names are OffGridFlow's). @ogf/metrics computes it from a snapshot; @ogf/status-http serves it.

/** p50/p95/p99 in seconds; `null` when nothing was observed. */
export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** The metrics JSON of a batch processor. */
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
  /** workers_active / workers_capacity × 100, one decimal; 0 when capacity is 0. */
  worker_utilization_percent: number;
  queue_size: number;
  /** Percentage of finished activities that succeeded, one decimal; 0 when none finished. */
  success_rate: number;
  /** kg CO2e (kilograms here, though Prometheus exposes grams). */
  total_emissions: number;
  errors_by_type: Record<string, number>;
  /** Locks acquired, every lock name together. */
  lock_acquisitions: number;
  /** Lock waits that timed out, every lock name together. */
  lock_timeouts: number;
  /** Retry attempts. */
  retry_attempts: number;
  /** Retry attempts that succeeded. */
  retry_successes: number;
  /** Batch state transitions, every from/to pair together. */
  state_transitions: number;
  /** Mean processing time of the batches that finished (any outcome), in seconds; 0 when none. */
  average_processing_time_seconds: number;
  /** Mean kg CO2e of the completed batches that reported emissions; 0 when none. */
  average_emissions_per_batch: number;
  /** Finished (completed, failed, cancelled) batches per second over the last minute. */
  batches_per_second: number;
  /** Processed activities per second over the last minute. */
  activities_per_second: number;
  batch_latency_seconds: LatencyPercentiles;
  activity_latency_seconds: LatencyPercentiles;
  /**
   * The trace of the slowest batch processed recently, from the exemplars kept on the processing
   * duration (present only when exemplars are on and a batch was processed inside a span recently).
   */
  slowest_recent_batch?: SlowestBatch;
}

/** A batch named by its trace: `slowest_recent_batch` of {@link BatchSummary}. */
export interface SlowestBatch {
  /** W3C trace id (32 hex digits): open it in Jaeger or Tempo. */
  trace_id: string;
  /** The span that recorded the duration (`batch.processing`). */
  span_id: string;
  /** Its processing time, in seconds. */
  duration_seconds: number;
  /** When it was recorded, ISO 8601. */
  at: string;
}
