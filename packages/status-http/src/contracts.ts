// The `/status` body, which only this package serves. Everything it reads (health reports, batch
// summaries, the sources and service info) is @ogf/core's contract: @ogf/health, @ogf/prom-export
// and @ogf/metrics produce those shapes, and this package imports no implementation.
import type { BatchSummary, HealthStatus } from '@ogf/core';

/** OffGridFlow's `/status` body. */
export interface StatusBody {
  service_name: string;
  service_version: string;
  environment: string;
  /** Which process answers (`service.instance.id`); present when the service info names one. */
  instance_id?: string;
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
    | 'batches_failed'
    | 'workers_active'
    | 'queue_size'
    | 'success_rate'
    | 'total_emissions'
  >;
}
