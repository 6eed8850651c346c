// Families → exposition text. A cursor renders a bounded number of lines per step, so the same
// code serves the synchronous pure functions and the sliced renderer that yields to the event loop.
import type { HrTime } from '@opentelemetry/api';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { escapeHelp, formatValue } from './escape.js';
import type { Exemplar, ExemplarSource } from './exemplars.js';
import { byBucket, exemplarSuffix, newest } from './exemplars.js';
import type { RenderCache } from './labels.js';
import { labelPart } from './labels.js';
import { createDuplicateCheck } from './duplicates.js';
import type { Family, OtelSource, Reporter } from './plan.js';
import { renderForeign } from './foreign.js';
import type { BlockText, ReuseRound, SourceReuse } from './reuse.js';
import type { Chunk } from './chunk.js';

export interface CursorOptions {
  readonly openMetrics: boolean;
  /** OpenMetrics `_created` samples. */
  readonly created: boolean;
  /** Where exemplars come from (OpenMetrics only; undefined writes none). */
  readonly exemplars?: ExemplarSource | undefined;
}

/** Renders families a few lines at a time. */
export interface Cursor {
  /** Renders about `budget` lines; true once everything (and `# EOF`) is written. */
  step(budget: number): boolean;
  /** The text rendered since the last `take` (a chunk of the exposition), and forgets it. */
  take(): Chunk;
}

function header(family: Family, om: boolean): string {
  if (!om) {
    const type = family.type === 'info' ? 'gauge' : family.type;
    return `# HELP ${family.name} ${escapeHelp(family.help, false)}\n# TYPE ${family.name} ${type}\n`;
  }
  const unit = family.unit === '' ? '' : `# UNIT ${family.omName} ${family.unit}\n`;
  return `# HELP ${family.omName} ${escapeHelp(family.help, true)}\n# TYPE ${family.omName} ${family.type}\n${unit}`;
}

function isEmpty(family: Family): boolean {
  if (family.info !== undefined) return false;
  if (family.foreign) return family.foreign.values.length === 0;
  return family.sources.every((source) => source.metric.dataPoints.length === 0);
}

function seconds(time: HrTime): string {
  return formatValue(time[0] + time[1] / 1e9);
}

function leFragments(bounds: readonly number[], cache: RenderCache): string[] {
  let fragments = cache.les.get(bounds);
  if (fragments === undefined) {
    fragments = bounds.map((bound) => `le="${formatValue(bound)}"} `);
    cache.les.set(bounds, fragments);
  }
  return fragments;
}

/**
 * Lines per block of reusable text (see reuse.ts). Small, so that a few changed series spread over
 * many blocks leave most blocks reusable: with 1 % of 100,000 series changed at random between
 * scrapes, 32-line blocks rendered in 22 ms against 29 ms with 128-line blocks (and 29 ms without
 * reuse); with none changed, 4.6 ms against 3.6 ms.
 */
const BLOCK_LINES = 32;

// Converting to a number makes V8 flatten a rope of template pieces into one sequential string
// now, while the pieces are young: text that outlives a scavenge is then one object.
function flatten(text: string): string {
  if (Number(text) === 0) return text;
  return text;
}

/** A cursor over the families in one format (`reuse`: text kept from the previous render). */
export function createCursor(
  families: readonly Family[],
  options: CursorOptions,
  cache: RenderCache,
  reportOnce: Reporter,
  reuse?: ReuseRound,
): Cursor {
  const om = options.openMetrics;
  let out = '';
  // Reports made while a block renders keep its text from being reused (reuse would skip them).
  let reports = 0;
  const report: Reporter = (code, key, message) => {
    reports++;
    reportOnce(code, key, message);
  };
  // Exemplars come from outside the points, so their text cannot be reused.
  const reusable = reuse !== undefined && options.exemplars === undefined;
  let blocks: SourceReuse | undefined;
  let blockLossy = false;
  // Text is written to `out`; finished pieces of the chunk (flat blocks, and `out` before them)
  // wait in `pieces`. `loose`: `out` holds lines written outside blocks (a long rope to flatten).
  let pieces: string[] = [];
  let loose = false;
  const settle = (): void => {
    if (out === '') return;
    pieces.push(loose ? flatten(out) : out);
    out = '';
    loose = false;
  };
  let fi = 0;
  let si = 0;
  let pi = 0;
  let open = false;
  let done = false;
  let sample = '';
  let base = '';
  const exemplarSource = options.exemplars;
  // The exemplars of one point; a throwing source is reported and writes none.
  const exemplarsOf = (source: OtelSource, point: DataPoint<unknown>): readonly Exemplar[] | undefined => {
    if (exemplarSource === undefined) return undefined;
    try {
      return exemplarSource.exemplars({ scope: source.scopeName, name: source.metric.descriptor.name, attributes: point.attributes });
    } catch (error) {
      report('ERR_OGF_COLLECT_FAILED', 'exemplar-source', `the exemplar source failed: ${String(error)}; exemplars left out`);
      return undefined;
    }
  };
  const onInvalidKey = (key: string): void =>
    report('ERR_OGF_INVALID_NAME', `key:${key}`, `attribute key ${JSON.stringify(key)} has no valid label characters; left out`);

  const duplicates = createDuplicateCheck(cache, onInvalidKey);

  // Writes one OTel point (point `pi` of source `si`); returns how many lines it was worth.
  const writePoint = (family: Family, source: OtelSource, point: DataPoint<number | Histogram>): number => {
    const part = labelPart(point.attributes, cache, onInvalidKey);
    const attrs = part.text;
    const scope = source.scope;
    if (part.lossy) blockLossy = true;
    if ((part.lossy || duplicates.running) && !duplicates.admit(si, pi, part)) {
      report(
        'ERR_OGF_DUPLICATE_SERIES',
        `series:${family.name}`,
        `family "${family.name}" has two points with the same labels (attributes that differ only in characters or types Prometheus cannot show); the later is dropped`,
      );
      return 1;
    }
    let braces = part.braces;
    if (part.scope !== scope || braces === undefined) {
      const labels = attrs === '' ? scope : scope === '' ? attrs : `${attrs},${scope}`;
      braces = labels === '' ? ' ' : `{${labels}} `;
      part.scope = scope;
      part.braces = braces;
    }
    if (family.type !== 'histogram') {
      const value = point.value as number;
      if (family.type === 'counter' && !(value >= 0)) {
        report('ERR_OGF_INVALID_VALUE', `value:${family.name}`, `counter "${family.name}" has a NaN or negative value; point dropped`);
        return 1;
      }
      const exemplar = family.type === 'counter' ? newest(exemplarsOf(source, point)) : undefined;
      const suffix = exemplar === undefined ? '' : exemplarSuffix(exemplar, family.name, report);
      out += `${sample}${braces}${formatValue(value)}${suffix}\n`;
      if (om && options.created && family.type === 'counter') out += `${base}_created${braces}${seconds(point.startTime)}\n`;
      return 1;
    }
    const histogram = point.value as Histogram;
    const bounds = histogram.buckets.boundaries;
    const counts = histogram.buckets.counts;
    const fragments = leFragments(bounds, cache);
    const prefix = braces === ' ' ? `${base}_bucket{` : `${base}_bucket${braces.slice(0, -2)},`;
    const exemplars = byBucket(exemplarsOf(source, point), bounds);
    const suffix = (i: number): string => {
      const exemplar = exemplars?.[i];
      return exemplar === undefined ? '' : exemplarSuffix(exemplar, family.name, report);
    };
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += counts[i] ?? 0;
      out += `${prefix}${fragments[i] as string}${cumulative}${exemplars === undefined ? '' : suffix(i)}\n`;
    }
    out += `${prefix}le="+Inf"} ${histogram.count}${exemplars === undefined ? '' : suffix(bounds.length)}\n`;
    // The sum is only meaningful (and, in OpenMetrics, only allowed) when no bucket is negative.
    const sum = histogram.sum;
    const sumOk = sum !== undefined && sum >= 0 && !((bounds[0] ?? 0) < 0);
    if (sumOk) out += `${base}_sum${braces}${formatValue(sum)}\n`;
    if (sumOk || !om) out += `${base}_count${braces}${histogram.count}\n`;
    if (om && options.created) out += `${base}_created${braces}${seconds(point.startTime)}\n`;
    return bounds.length + 3;
  };

  // A source's blocks, of about BLOCK_LINES lines. The key only tells sources apart: the format
  // and options are fixed per `reuse` (one per exporter and format), and the scope, type and
  // buckets belong to the stream whose point objects a block must match.
  const sourceBlocks = (family: Family, source: OtelSource): SourceReuse => {
    const points = source.metric.dataPoints as DataPoint<number | Histogram>[];
    const first = points[0]?.value;
    const linesPerPoint = family.type === 'histogram' ? (first as Histogram).buckets.boundaries.length + 4 : 1;
    return (reuse as ReuseRound).source(`${family.name}\u0000${String(si)}`, points, Math.max(1, Math.floor(BLOCK_LINES / linesPerPoint)));
  };

  // Whether kept text (rendered with nothing dropped) may be written now. In a family's first
  // source the series before a block are the same ones at every render (a stream only grows, in
  // order), so the block drops nothing now either; it would be checked only where an earlier
  // source's series could differ, while the check runs or would start inside the block.
  const admitKept = (kept: BlockText, start: number, end: number): boolean => {
    if (si === 0 || (!duplicates.running && !kept.lossy)) {
      duplicates.skip(kept.lossy);
      return true;
    }
    return duplicates.admitBlock(si, start, end);
  };

  // Writes the block starting at `pi` (reused when its points are unchanged); returns its lines.
  const writeBlock = (family: Family, source: OtelSource, memo: SourceReuse): number => {
    const points = source.metric.dataPoints as DataPoint<number | Histogram>[];
    const index = Math.floor(pi / memo.blockSize);
    const start = pi;
    const end = Math.min(start + memo.blockSize, points.length);
    const kept = memo.reused(index, start, end);
    settle();
    if (kept !== undefined && admitKept(kept, start, end)) {
      memo.keep(index, kept);
      pieces.push(kept.text);
      pi = end;
      return kept.lines;
    }
    const reportsBefore = reports;
    blockLossy = false;
    let lines = 0;
    for (; pi < end; pi++) lines += writePoint(family, source, points[pi] as DataPoint<number | Histogram>);
    const text = flatten(out);
    out = '';
    if (text !== '') pieces.push(text);
    // A report means a series was left out or is incomplete: such a block is always rendered.
    if (reports === reportsBefore) memo.keep(index, { text, lines, lossy: blockLossy });
    return lines;
  };

  const step = (budget: number): boolean => {
    let left = budget;
    while (fi < families.length) {
      const family = families[fi] as Family;
      if (!open) {
        if (isEmpty(family)) {
          fi++;
          continue;
        }
        out += header(family, om);
        if (family.info !== undefined || family.foreign) {
          loose = true;
          out += family.foreign ? renderForeign(family, family.foreign, om, report) : `target_info{${family.info}} 1\n`;
          fi++;
          left -= family.foreign ? family.foreign.values.length : 1;
          if (left <= 0) return false;
          continue;
        }
        open = true;
        duplicates.open(family);
        si = 0;
        pi = 0;
        base = om ? family.omName : family.name;
        sample = family.type === 'counter' ? `${family.omName}_total` : base;
      }
      while (si < family.sources.length) {
        const source = family.sources[si] as OtelSource;
        const points = source.metric.dataPoints as DataPoint<number | Histogram>[];
        if (pi === 0) {
          duplicates.enter(si);
          blocks = reusable && points.length > 0 && reuse.covers(source.metric) ? sourceBlocks(family, source) : undefined;
        }
        while (pi < points.length) {
          if (blocks !== undefined) left -= writeBlock(family, source, blocks);
          else {
            left -= writePoint(family, source, points[pi] as DataPoint<number | Histogram>);
            pi++;
            loose = true;
          }
          if (left <= 0) return false;
        }
        si++;
        pi = 0;
      }
      open = false;
      fi++;
    }
    if (!done) {
      if (om) out += '# EOF\n';
      done = true;
      reuse?.finish();
    }
    return true;
  };

  const take = (): Chunk => {
    settle();
    const chunk = pieces.length === 1 ? (pieces[0] as string) : pieces;
    pieces = [];
    return chunk;
  };

  return { step, take };
}
