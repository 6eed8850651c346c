// Reading @ogf/core's MetricsSnapshot (what @ogf/prom-export's `exporter.snapshot()` produces).
import type { SnapshotNumber } from '@ogf/core';

/** A SnapshotNumber as a JS number (NaN and ±Infinity for the spelled-out ones). */
export function snapshotNumber(value: SnapshotNumber | undefined): number {
  if (typeof value === 'number') return value;
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return NaN;
}
