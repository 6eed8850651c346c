// Cumulative streams kept by the exporter from the SDK's delta collections. Asked for cumulative
// data, the SDK rebuilds a point object for every series on every collect (and merges every
// series it ever saw), so a scrape of a million mostly idle series pays for a million fresh
// objects. Asked for deltas, it hands back only the series recorded into since the last collect;
// this store adds them onto long-lived cumulative points, so a scrape costs what changed plus the
// text. The folding mirrors the SDK's own cumulative merge (previous + delta, in that order), so
// the values are the ones the SDK would have reported.
import type { HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { seriesKey } from './series-key.js';
import { yieldToEventLoop } from './yield.js';

/**
 * The temporality the exporter asks the SDK for: deltas from synchronous instruments (folded
 * here), cumulative from observable ones (their callbacks report every series anyway, and
 * re-adding their SDK-computed differences would not give back the observed floats exactly).
 */
export function deltaForSynchronous(type: InstrumentType): AggregationTemporality {
  return type === InstrumentType.OBSERVABLE_COUNTER ||
    type === InstrumentType.OBSERVABLE_GAUGE ||
    type === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
    ? AggregationTemporality.CUMULATIVE
    : AggregationTemporality.DELTA;
}

/** Folds each collection into the cumulative view; returns the view to render. */
export interface CumulativeStore {
  /**
   * Folds one collection, yielding to the event loop whenever a stretch of work passes `sliceMs`.
   * Folds run one at a time, in the order they were asked for.
   */
  fold(collected: ResourceMetrics, sliceMs: number): Promise<ResourceMetrics>;
  /**
   * True for a metric this store published: its point objects are never changed, and a series
   * whose point is the same object as before did not change.
   */
  owns(metric: MetricData): boolean;
}

/** Series folded between two looks at the clock. */
const POINTS_PER_CHECK = 1024;

/** Yields once the current stretch of work has lasted `sliceMs`. */
interface Slicer {
  deadline: number;
  readonly sliceMs: number;
}

async function pause(slicer: Slicer): Promise<void> {
  if (performance.now() < slicer.deadline) return;
  await yieldToEventLoop();
  slicer.deadline = performance.now() + slicer.sliceMs;
}

/** The time of the latest collection, read by every folded point (all of a collect's points end then). */
interface Clock {
  time: HrTime;
}

// A point of a folded stream. Published points are never changed (a render sliced over several
// event-loop turns keeps reading the ones it started with); a change replaces the point.
class FoldedPoint<T> implements DataPoint<T> {
  constructor(
    readonly attributes: DataPoint<T>['attributes'],
    readonly startTime: HrTime,
    readonly value: T,
    private readonly clock: Clock,
  ) {}
  get endTime(): HrTime {
    return this.clock.time;
  }
}

interface Stream {
  metric: MetricData;
  /** Series key → index in `metric.dataPoints`. */
  readonly index: Map<string, number>;
}

interface Slot {
  /** Folded (delta in) or passed through (cumulative or unfoldable in, replaced every collect). */
  stream: Stream | undefined;
  passthrough: MetricData | undefined;
}

interface ScopeSlot {
  scope: ScopeMetrics['scope'];
  readonly slots: Slot[];
  readonly byKey: Map<string, Slot>;
}

function scopeKey(scope: ScopeMetrics['scope']): string {
  return `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}`;
}

function streamKey(metric: MetricData): string {
  const { name, unit, description, valueType } = metric.descriptor;
  const monotonic = metric.dataPointType === DataPointType.SUM ? String(metric.isMonotonic) : '';
  return `${name}\u0000${unit}\u0000${description}\u0000${valueType}\u0000${metric.dataPointType}\u0000${monotonic}`;
}

function foldable(metric: MetricData): boolean {
  return (
    metric.aggregationTemporality === AggregationTemporality.DELTA &&
    (metric.dataPointType === DataPointType.SUM ||
      metric.dataPointType === DataPointType.GAUGE ||
      metric.dataPointType === DataPointType.HISTOGRAM)
  );
}

function copyHistogram(value: Histogram): Histogram {
  const { boundaries, counts } = value.buckets;
  return { ...value, buckets: { boundaries, counts: counts.slice() } };
}

// What the SDK's HistogramAggregator.merge does: bucket counts, count and sum added; min and max
// kept across both when either has them.
function addHistograms(previous: Histogram, delta: Histogram): Histogram {
  const counts = previous.buckets.counts.slice();
  const add = delta.buckets.counts;
  for (let i = 0; i < counts.length; i++) counts[i] = (counts[i] ?? 0) + (add[i] ?? 0);
  const sum = previous.sum === undefined || delta.sum === undefined ? (previous.sum ?? delta.sum) : previous.sum + delta.sum;
  const min = previous.min === undefined ? delta.min : delta.min === undefined ? previous.min : Math.min(previous.min, delta.min);
  const max = previous.max === undefined ? delta.max : delta.max === undefined ? previous.max : Math.max(previous.max, delta.max);
  return { buckets: { boundaries: previous.buckets.boundaries, counts }, count: previous.count + delta.count, sum, min, max };
}

function fresh(point: DataPoint<unknown>, type: DataPointType, clock: Clock): DataPoint<unknown> {
  const value = type === DataPointType.HISTOGRAM ? copyHistogram(point.value as Histogram) : point.value;
  return new FoldedPoint(point.attributes, point.startTime, value, clock);
}

function merged(previous: DataPoint<unknown>, delta: DataPoint<unknown>, type: DataPointType, clock: Clock): DataPoint<unknown> {
  let value: unknown;
  if (type === DataPointType.SUM) value = (previous.value as number) + (delta.value as number);
  else if (type === DataPointType.HISTOGRAM) value = addHistograms(previous.value as Histogram, delta.value as Histogram);
  else value = delta.value; // a gauge: the latest value wins
  // The first attributes object and start time stay: label text is memoised per attributes object.
  return new FoldedPoint(previous.attributes, previous.startTime, value, clock);
}

async function foldInto(stream: Stream, delta: MetricData, clock: Clock, slicer: Slicer, owned: WeakSet<MetricData>): Promise<void> {
  const type = delta.dataPointType;
  const published = stream.metric.dataPoints as DataPoint<unknown>[];
  const points = delta.dataPoints as DataPoint<unknown>[];
  let next: DataPoint<unknown>[] | undefined;
  for (let i = 0; i < points.length; i++) {
    // `next` is this fold's own copy until the end: a render meanwhile reads the published points.
    if (i % POINTS_PER_CHECK === POINTS_PER_CHECK - 1) await pause(slicer);
    const point = points[i] as DataPoint<unknown>;
    const key = seriesKey(point.attributes);
    const at = stream.index.get(key);
    next ??= published.slice();
    if (at === undefined) {
      stream.index.set(key, next.length);
      next.push(fresh(point, type, clock));
    } else {
      next[at] = merged(next[at] as DataPoint<unknown>, point, type, clock);
    }
  }
  // A new array and metric object when anything changed; an unchanged stream is handed out as is.
  if (next !== undefined) {
    stream.metric = { ...stream.metric, descriptor: delta.descriptor, dataPoints: next } as MetricData;
    owned.add(stream.metric);
  }
}

function emptyStream(delta: MetricData): Stream {
  return { metric: { ...delta, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints: [] }, index: new Map() };
}

// The SDK stamps every point of a collect with the same end time; a collect in which nothing
// changed has no point to read it from, so the wall clock stands in (as the SDK reads it).
function collectionTime(collected: ResourceMetrics): HrTime {
  for (const { metrics } of collected.scopeMetrics) {
    for (const metric of metrics) {
      const point = metric.dataPoints[0];
      if (point !== undefined) return point.endTime;
    }
  }
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
}

/**
 * A store that turns delta collections into the cumulative view Prometheus needs, keeping one
 * point per series across collections.
 *
 * @example
 * const store = createCumulativeStore();
 * const view = await store.fold((await reader.collect()).resourceMetrics, 8);
 */
export function createCumulativeStore(): CumulativeStore {
  const clock: Clock = { time: [0, 0] };
  const scopes: ScopeSlot[] = [];
  const scopesByKey = new Map<string, ScopeSlot>();

  const owned = new WeakSet<MetricData>();
  let queue: Promise<unknown> = Promise.resolve();

  async function foldNow(collected: ResourceMetrics, sliceMs: number): Promise<ResourceMetrics> {
    const slicer: Slicer = { deadline: performance.now() + sliceMs, sliceMs };
    clock.time = collectionTime(collected);
    const seen = new Set<Slot>();
    for (const { scope, metrics } of collected.scopeMetrics) {
      const sKey = scopeKey(scope);
      let scopeSlot = scopesByKey.get(sKey);
      if (scopeSlot === undefined) {
        scopeSlot = { scope, slots: [], byKey: new Map() };
        scopesByKey.set(sKey, scopeSlot);
        scopes.push(scopeSlot);
      }
      for (const metric of metrics) {
        const key = streamKey(metric);
        let slot = scopeSlot.byKey.get(key);
        if (slot === undefined) {
          slot = { stream: undefined, passthrough: undefined };
          scopeSlot.byKey.set(key, slot);
          scopeSlot.slots.push(slot);
        }
        seen.add(slot);
        if (!foldable(metric)) slot.passthrough = metric;
        else await foldInto((slot.stream ??= emptyStream(metric)), metric, clock, slicer, owned);
      }
    }
    const scopeMetrics: ScopeMetrics[] = [];
    for (const { scope, slots } of scopes) {
      const metrics: MetricData[] = [];
      for (const slot of slots) {
        // A folded stream is reported on every collect, as the SDK reports cumulative streams;
        // a passed-through one only when this collection had it.
        if (slot.stream !== undefined && slot.stream.metric.dataPoints.length > 0) metrics.push(slot.stream.metric);
        if (slot.passthrough !== undefined && seen.has(slot)) metrics.push(slot.passthrough);
      }
      if (metrics.length > 0) scopeMetrics.push({ scope, metrics });
    }
    return { resource: collected.resource, scopeMetrics };
  }

  return {
    fold(collected, sliceMs) {
      const folded = queue.then(() => foldNow(collected, sliceMs));
      queue = folded.catch(() => undefined);
      return folded;
    },
    owns(metric) {
      return owned.has(metric);
    },
  };
}
