// Exemplars for OTel histograms, which sdk-metrics 2.x does not sample (the upstream pipeline is
// unmerged). A reservoir wraps a MeterProvider: every histogram its meters create also offers each
// measurement made inside a span to an aligned-bucket reservoir (newest per bucket per series,
// bounded series per instrument). It is an exemplar source for @ogf/prom-export, which it matches
// structurally (this package imports no exporter).
import type { Attributes, Context, Histogram, Meter, MeterOptions, MeterProvider, MetricOptions } from '@opentelemetry/api';
import { context as contextApi, INVALID_TRACEID, trace, TraceFlags } from '@opentelemetry/api';
import { OgfError } from './errors.js';
import type { ExemplarFilter } from './exemplar-filter.js';
import { parseExemplarFilter } from './exemplar-filter.js';

/** One exemplar, in the shape @ogf/prom-export reads (`ExemplarSource`). */
export interface TraceExemplar {
  readonly labels: { readonly trace_id: string; readonly span_id: string };
  readonly value: number;
  readonly timeUnixMs: number;
}

/** Options of `createExemplarReservoir`. */
export interface ExemplarReservoirOptions {
  /** Which measurements become exemplars. Default `trace_based` (read `OTEL_METRICS_EXEMPLAR_FILTER` with `parseExemplarFilter`). */
  filter?: ExemplarFilter;
  /** Series (attribute sets) kept per histogram; measurements of further series keep no exemplar. Default 2000 (the SDK's cardinality limit). */
  maxSeriesPerInstrument?: number;
  /** The clock (Unix ms). Default `Date.now`. */
  now?: () => number;
}

/** A histogram exemplar reservoir: wraps a MeterProvider, and is an exemplar source for the exporter. */
export interface ExemplarReservoir {
  readonly filter: ExemplarFilter;
  /** The provider whose histograms offer exemplars; with `always_off`, the provider itself. */
  wrap(provider: MeterProvider): MeterProvider;
  /** The newest exemplar per bucket of one series (an `ExemplarSource` of @ogf/prom-export). */
  exemplars(query: { scope: string; name: string; attributes: Attributes }): readonly TraceExemplar[] | undefined;
  /**
   * The exemplar with the largest value among those kept for an instrument (every series), taken
   * at or after `sinceUnixMs`: e.g. the trace of the slowest recent batch. Kept exemplars are the
   * newest per bucket, so it is within one bucket's width of the slowest measurement.
   */
  slowest(query: { scope: string; name: string; sinceUnixMs?: number }): TraceExemplar | undefined;
}

/** The SDK's default histogram boundaries, used when an instrument gives no advice. */
const SDK_DEFAULT_BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
const EMPTY: Attributes = {};

/** A bucket's newest exemplar; fields are overwritten in place, the view is built when read. */
interface Slot {
  traceId: string;
  spanId: string;
  value: number;
  timeUnixMs: number;
  view: TraceExemplar | undefined;
}

interface Store {
  readonly bounds: readonly number[];
  readonly series: Map<string, (Slot | undefined)[]>;
  /** The last attributes object recorded and its slots: most call sites reuse one object. */
  lastAttributes: Attributes | undefined;
  lastSlots: (Slot | undefined)[] | undefined;
}

// Attribute objects are treated as immutable once recorded, as the SDK treats the one it keeps.
const keys = new WeakMap<Attributes, string>();
function seriesKey(attributes: Attributes): string {
  let key = keys.get(attributes);
  if (key === undefined) {
    const names = Object.keys(attributes).sort();
    key = JSON.stringify(names.map((name) => [name, attributes[name]]));
    keys.set(attributes, key);
  }
  return key;
}

function bucketOf(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > (bounds[i] as number)) i++;
  return i;
}

/**
 * Creates a histogram exemplar reservoir. Pass `reservoir.wrap(provider)` to whatever records
 * (e.g. `createBatchMetrics({ meterProvider })`) and the reservoir to the exporter
 * (`new PrometheusExporter({ exemplars: reservoir })`). Throws an `OgfError` for invalid options.
 *
 * @example
 * const reservoir = createExemplarReservoir({ filter: parseExemplarFilter(process.env.OTEL_METRICS_EXEMPLAR_FILTER) });
 * const exporter = new PrometheusExporter({ exemplars: reservoir });
 * const provider = new MeterProvider({ readers: [exporter] });
 * const metrics = createBatchMetrics({ meterProvider: reservoir.wrap(provider) });
 */
export function createExemplarReservoir(options: ExemplarReservoirOptions = {}): ExemplarReservoir {
  const filter = parseExemplarFilter(options.filter, 'createExemplarReservoir: filter');
  const maxSeries = options.maxSeriesPerInstrument ?? 2000;
  if (!Number.isInteger(maxSeries) || maxSeries < 1) {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      `createExemplarReservoir: maxSeriesPerInstrument must be a positive integer, got ${String(maxSeries)}`,
    );
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new OgfError('ERR_OGF_INVALID_OPTION', 'createExemplarReservoir: now must be a function');
  const sampledOnly = filter === 'trace_based';
  const stores = new Map<string, Store>();
  const storeKey = (scope: string, name: string): string => `${scope}\u0000${name}`;

  const offer = (store: Store, value: number, attributes: Attributes, ctx: Context): void => {
    const span = trace.getSpan(ctx);
    if (span === undefined || !(value >= 0) || value === Infinity) return;
    const spanContext = span.spanContext();
    if (sampledOnly && (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return;
    // Spans from a real tracer carry valid ids; only the all-zero invalid context is ruled out here
    // (the API's regex check would cost more than the rest of the offer).
    if (spanContext.traceId === INVALID_TRACEID) return;
    let slots: (Slot | undefined)[] | undefined;
    if (attributes === store.lastAttributes) slots = store.lastSlots;
    else {
      const key = seriesKey(attributes);
      slots = store.series.get(key);
      if (slots === undefined) {
        if (store.series.size >= maxSeries) return;
        slots = new Array<Slot | undefined>(store.bounds.length + 1);
        store.series.set(key, slots);
      }
      store.lastAttributes = attributes;
      store.lastSlots = slots;
    }
    if (slots === undefined) return;
    const i = bucketOf(store.bounds, value);
    const slot = slots[i];
    if (slot === undefined) {
      slots[i] = { traceId: spanContext.traceId, spanId: spanContext.spanId, value, timeUnixMs: now(), view: undefined };
      return;
    }
    slot.traceId = spanContext.traceId;
    slot.spanId = spanContext.spanId;
    slot.value = value;
    slot.timeUnixMs = now();
    slot.view = undefined;
  };

  const wrapHistogram = (scope: string, name: string, histogram: Histogram, opts: MetricOptions | undefined): Histogram => {
    const id = storeKey(scope, name);
    let store = stores.get(id);
    if (store === undefined) {
      const advised = opts?.advice?.explicitBucketBoundaries;
      store = {
        bounds: advised && advised.length > 0 ? [...advised] : SDK_DEFAULT_BOUNDARIES,
        series: new Map(),
        lastAttributes: undefined,
        lastSlots: undefined,
      };
      stores.set(id, store);
    }
    const own = store;
    return {
      record(value: number, attributes?: Attributes, ctx?: Context): void {
        // One context lookup, shared with the SDK (which would otherwise look it up itself).
        const active = ctx ?? contextApi.active();
        histogram.record(value, attributes, active);
        try {
          offer(own, value, attributes ?? EMPTY, active);
        } catch {
          // Telemetry never throws into its host; a lost exemplar is harmless.
        }
      },
    };
  };

  const wrapMeter = (meter: Meter, scope: string): Meter =>
    new Proxy(meter, {
      get(target, property): unknown {
        if (property === 'createHistogram') {
          return (name: string, opts?: MetricOptions): Histogram => wrapHistogram(scope, name, target.createHistogram(name, opts), opts);
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });

  const view = (slot: Slot): TraceExemplar =>
    (slot.view ??= { labels: { trace_id: slot.traceId, span_id: slot.spanId }, value: slot.value, timeUnixMs: slot.timeUnixMs });

  return {
    filter,
    wrap(provider) {
      if (filter === 'always_off') return provider;
      return {
        getMeter: (name: string, version?: string, meterOptions?: MeterOptions) =>
          wrapMeter(provider.getMeter(name, version, meterOptions), name),
      };
    },
    exemplars(query) {
      const slots = stores.get(storeKey(query.scope, query.name))?.series.get(seriesKey(query.attributes));
      if (slots === undefined) return undefined;
      const out: TraceExemplar[] = [];
      for (const slot of slots) if (slot !== undefined) out.push(view(slot));
      return out;
    },
    slowest(query) {
      const since = query.sinceUnixMs ?? -Infinity;
      let best: Slot | undefined;
      for (const slots of stores.get(storeKey(query.scope, query.name))?.series.values() ?? []) {
        for (const slot of slots) {
          if (slot !== undefined && slot.timeUnixMs >= since && (best === undefined || slot.value > best.value)) best = slot;
        }
      }
      return best === undefined ? undefined : view(best);
    },
  };
}
