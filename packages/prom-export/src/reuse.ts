// Text of unchanged series, kept from one render to the next. The exporter's cumulative store
// replaces a point object whenever its series changes and hands out the very same objects for
// series that did not (see cumulative.ts), so a block of points that are the same objects as in
// the previous render prints the same text, and rendering it again would only repeat work: at a
// million mostly idle series that work is the whole scrape. Blocks are small (about 32 lines), so
// a few changed series spread over many blocks still leave most of them reusable. The kept text
// is one exposition per format at most; a block that changes is simply rendered and kept anew.

import type { MetricData } from '@opentelemetry/sdk-metrics';

/** The text of one block of points, how many lines it holds, and whether any of its labels map lossily. */
export interface BlockText {
  readonly text: string;
  readonly lines: number;
  /** A series in the block has labels that could print like another's (the duplicate check must see its keys). */
  readonly lossy: boolean;
}

/** The blocks of one source (one instrument of one family) in one render. */
export interface SourceReuse {
  /** Points per block (the first block starts at point 0). */
  readonly blockSize: number;
  /** The text of block `index` (points `start` to `end`) from the previous render, when it can be reused. */
  reused(index: number, start: number, end: number): BlockText | undefined;
  /** Keeps a block's text for the next render: text just rendered without a report (nothing dropped), or reused text. */
  keep(index: number, text: BlockText): void;
}

/** One render's view: what the previous complete render left, and what this one leaves. */
export interface ReuseRound {
  /** Whether a metric's points may be reused by identity (only points that are never changed in place). */
  covers(metric: MetricData): boolean;
  /** `key` names the source with everything besides its points that shapes its text. */
  source(key: string, points: readonly unknown[], blockSize: number): SourceReuse;
  /** Called once the render wrote everything: its blocks become the ones the next render reads. */
  finish(): void;
}

/** Kept text across renders of one format. */
export interface TextReuse {
  round(): ReuseRound;
}

interface SourceMemo {
  readonly points: readonly unknown[];
  readonly blockSize: number;
  readonly blocks: (BlockText | undefined)[];
}

// Published point arrays are never mutated (a change makes a new array), so the same array means
// the same points; otherwise the block is compared object by object (`end` is within both).
function samePoints(previous: readonly unknown[], current: readonly unknown[], start: number, end: number): boolean {
  if (previous === current) return true;
  for (let i = start; i < end; i++) if (previous[i] !== current[i]) return false;
  return true;
}

/**
 * Kept text for the renders of one format, for the metrics `covers` accepts (the exporter's folded
 * streams: other producers may hand out the same point objects with new values).
 *
 * @example
 * const reuse = createTextReuse((metric) => store.owns(metric));
 * const round = reuse.round(); // per render, passed to the cursor
 */
export function createTextReuse(covers: (metric: MetricData) => boolean): TextReuse {
  let previous = new Map<string, SourceMemo>();
  return {
    round() {
      const next = new Map<string, SourceMemo>();
      const read = previous;
      return {
        covers,
        source(key, points, blockSize) {
          const before = read.get(key);
          const last = before !== undefined && before.blockSize === blockSize ? before : undefined;
          const memo: SourceMemo = { points, blockSize, blocks: [] };
          next.set(key, memo);
          // The block also ended at the same point last time (a kept text covers exactly its points).
          const unchanged = (start: number, end: number): boolean =>
            last !== undefined && Math.min(start + blockSize, last.points.length) === end && samePoints(last.points, points, start, end);
          return {
            blockSize,
            reused(index, start, end) {
              return unchanged(start, end) ? last?.blocks[index] : undefined;
            },
            keep(index, text) {
              memo.blocks[index] = text;
            },
          };
        },
        finish() {
          previous = next;
        },
      };
    },
  };
}
