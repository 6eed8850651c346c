import type { Attributes, Counter, Histogram, Meter, ObservableResult, UpDownCounter } from '@opentelemetry/api';
import type { MetricDefinition } from './catalog.js';

/** A precomputed attribute set; its identity is the key of a tally, so build each one once. */
export interface AttributeSet {
  readonly attributes: Attributes;
}

/** A counter or up-down counter as BatchMetrics uses it. Values are already validated. */
export interface Series {
  add(value: number, set?: AttributeSet): void;
}

/** An up-down counter that can also be set to an absolute level (queue size, workers). */
export interface LevelSeries extends Series {
  set(value: number): void;
}

/** How counters are kept: local tallies read at collect time, or synchronous SDK instruments. */
export type RecordingMode = 'tally' | 'instrument';

function instrumentOptions(definition: MetricDefinition): { description: string; unit: string } {
  return { description: definition.description, unit: definition.unit };
}

// A tally: plain numbers in memory, reported by an observable instrument when a reader collects.
// Adding is a field update (no attribute hashing, no allocation), and because a collection reads
// the whole tally at once, nothing recorded before it can be lost or counted twice.
class Tally implements LevelSeries {
  private total = 0;
  private readonly bySet = new Map<AttributeSet, number>();

  constructor(private readonly hasAttributes: boolean) {}

  add(value: number, set?: AttributeSet): void {
    if (set === undefined) this.total += value;
    else this.bySet.set(set, (this.bySet.get(set) ?? 0) + value);
  }

  set(value: number): void {
    this.total = value;
  }

  observe(result: ObservableResult): void {
    // Attribute-less series report from the first scrape (0), so rate() works from the start.
    if (!this.hasAttributes) result.observe(this.total);
    for (const [set, value] of this.bySet) result.observe(value, set.attributes);
  }
}

class InstrumentSeries implements LevelSeries {
  private level = 0;

  constructor(private readonly instrument: Counter | UpDownCounter) {}

  add(value: number, set?: AttributeSet): void {
    this.level += value;
    this.instrument.add(value, set?.attributes);
  }

  set(value: number): void {
    const delta = value - this.level;
    this.level = value;
    if (delta !== 0) this.instrument.add(delta);
  }
}

/** Creates the series of a counter or up-down counter of the catalog in the given mode. */
export function createSeries(meter: Meter, definition: MetricDefinition, mode: RecordingMode): LevelSeries {
  const options = instrumentOptions(definition);
  const upDown = definition.kind === 'updowncounter';
  if (mode === 'instrument') {
    return new InstrumentSeries(
      upDown ? meter.createUpDownCounter(definition.name, options) : meter.createCounter(definition.name, options),
    );
  }
  const tally = new Tally(definition.attributes.length > 0);
  const observable = upDown
    ? meter.createObservableUpDownCounter(definition.name, options)
    : meter.createObservableCounter(definition.name, options);
  observable.addCallback((result) => tally.observe(result));
  return tally;
}

/** A gauge read at collect time; reports nothing until it has a value. */
export interface GaugeSeries {
  set(value: number): void;
}

/** Creates an observable gauge of the catalog. */
export function createGauge(meter: Meter, definition: MetricDefinition): GaugeSeries {
  let current: number | undefined;
  meter.createObservableGauge(definition.name, instrumentOptions(definition)).addCallback((result) => {
    if (current !== undefined) result.observe(current);
  });
  return {
    set(value: number): void {
      current = value;
    },
  };
}

/** A histogram of the catalog, with its buckets given as advice. */
export function createHistogram(meter: Meter, definition: MetricDefinition): Histogram {
  return meter.createHistogram(definition.name, {
    ...instrumentOptions(definition),
    advice: { explicitBucketBoundaries: [...(definition.buckets ?? [])] },
  });
}
