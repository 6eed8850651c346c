import type { SnapshotPoint } from '@ogf/core';
import { snapshotNumber } from './snapshot.js';

/** Cumulative buckets merged from one or more histogram points, plus the overall min and max. */
export interface MergedHistogram {
  /** Sorted by upper bound; counts cumulative; the last bound is +Infinity. */
  bounds: number[];
  counts: number[];
  min: number;
  max: number;
}

// Cumulative count of one point at an upper bound: the count of its largest bucket <= bound.
function countAt(buckets: { le: number; count: number }[], bound: number): number {
  let count = 0;
  for (const bucket of buckets) {
    if (bucket.le <= bound) count = bucket.count;
    else break;
  }
  return count;
}

/**
 * Merges the histogram points of a metric (one per attribute set) into one cumulative
 * histogram. Points with the same boundaries add exactly; different boundaries are merged on
 * the union of bounds. Returns undefined when there are no observations.
 *
 * @example
 * ```ts
 * const metric = snapshot.metrics.find((m) => m.name === 'batch.processing.duration');
 * const merged = mergeHistograms(metric?.points ?? []);
 * const p95 = merged ? histogramQuantile(0.95, merged) : null;
 * ```
 */
export function mergeHistograms(points: readonly SnapshotPoint[]): MergedHistogram | undefined {
  const parsed = points
    .filter((point) => point.histogram !== undefined)
    .map((point) => {
      const h = point.histogram!;
      const buckets = h.buckets
        .map((b) => ({ le: snapshotNumber(b.le), count: b.count }))
        .filter((b) => !Number.isNaN(b.le))
        .sort((a, b) => a.le - b.le);
      if (buckets.length === 0 || buckets[buckets.length - 1]!.le !== Infinity) buckets.push({ le: Infinity, count: h.count });
      return { buckets, min: snapshotNumber(h.min), max: snapshotNumber(h.max) };
    });
  const bounds = [...new Set(parsed.flatMap((p) => p.buckets.map((b) => b.le)))].sort((a, b) => a - b);
  const counts = bounds.map((bound) => parsed.reduce((sum, p) => sum + countAt(p.buckets, bound), 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return undefined;
  const finite = (values: number[]): number[] => values.filter((v) => Number.isFinite(v));
  const mins = finite(parsed.map((p) => p.min));
  const maxes = finite(parsed.map((p) => p.max));
  return {
    bounds,
    counts,
    min: mins.length > 0 ? Math.min(...mins) : NaN,
    max: maxes.length > 0 ? Math.max(...maxes) : NaN,
  };
}

/**
 * Estimates the q-quantile (0 ≤ q ≤ 1) the way Prometheus' histogram_quantile does: find the
 * bucket holding the rank and interpolate linearly inside it (the first bucket starts at 0).
 * Two refinements where the SDK gives min and max: the estimate is clamped to [min, max], and a
 * rank in the +Inf bucket interpolates up to max instead of stopping at the highest finite bound.
 *
 * @example
 * ```ts
 * histogramQuantile(0.5, { bounds: [1, 2, Infinity], counts: [2, 4, 4], min: NaN, max: NaN }); // 1
 * ```
 */
export function histogramQuantile(q: number, histogram: MergedHistogram): number | null {
  const { bounds, counts, min, max } = histogram;
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0 || !(q >= 0 && q <= 1)) return null;
  const rank = q * total;
  let index = counts.findIndex((count) => count >= rank);
  if (index < 0) index = counts.length - 1;
  const upperRaw = bounds[index]!;
  const lowerBound = index === 0 ? Math.min(0, upperRaw) : bounds[index - 1]!;
  const below = index === 0 ? 0 : counts[index - 1]!;
  const inBucket = counts[index]! - below;
  let estimate: number;
  if (upperRaw === Infinity) {
    // Prometheus answers the highest finite bound; with a known max we interpolate up to it.
    const top = Number.isFinite(max) && max > lowerBound ? max : lowerBound;
    estimate = lowerBound + (top - lowerBound) * ((rank - below) / inBucket);
  } else if (index === 0 && upperRaw <= 0) {
    estimate = upperRaw;
  } else {
    estimate = inBucket > 0 ? lowerBound + (upperRaw - lowerBound) * ((rank - below) / inBucket) : upperRaw;
  }
  if (Number.isFinite(min) && estimate < min) estimate = min;
  if (Number.isFinite(max) && estimate > max) estimate = max;
  return Number.isFinite(estimate) ? estimate : null;
}
