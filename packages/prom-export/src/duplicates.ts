// Two points of a family must not print the same series. Distinct SDK attribute sets can only
// share a label text when the mapping is lossy (sanitised or reserved keys, non-string values,
// lone surrogates), and two sources can only print alike when their scope labels do, so a
// family's keys are only checked from its first lossy point or its first such source on. The key
// set is filled lazily: points written from kept text are only noted, and their keys are added
// when a later point has to be checked, so a scrape that reuses every block adds none.
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import type { InvalidKeyHandler, LabelPart, RenderCache } from './labels.js';
import { labelPart } from './labels.js';
import type { Family, OtelSource } from './plan.js';

/** The duplicate check of one family at a time, in the order its points are written. */
export interface DuplicateCheck {
  /** Starts the next family. */
  open(family: Family): void;
  /** True once the open family met a lossy point: every later point's key is checked. */
  readonly running: boolean;
  /**
   * Starts source `sourceIndex` of the open family. A source whose scope labels an earlier source
   * already printed (scope labels turned off, or scopes that differ only in their schema URL)
   * shares its label space: from it on every point is checked.
   */
  enter(sourceIndex: number): void;
  /**
   * Admits point `pointIndex` of source `sourceIndex` (with its label part): false when it prints
   * like a point written before it (it must be dropped).
   */
  admit(sourceIndex: number, pointIndex: number, part: LabelPart): boolean;
  /**
   * Admits points `start` to `end` of a source at once (a block whose kept text would be written).
   * True when none prints like a point before it or like another in the block; false leaves the
   * check as it was (the block must then be written point by point).
   */
  admitBlock(sourceIndex: number, start: number, end: number): boolean;
  /**
   * Notes a block written from kept text without a check (text that is known to hold no
   * duplicate); `lossy` when one of its series maps lossily. Its keys are added when needed.
   */
  skip(lossy: boolean): void;
}

function firstSharedScope(family: Family): number {
  if (family.sources.length < 2) return Infinity;
  const scopes = new Set<string>();
  for (let i = 0; i < family.sources.length; i++) {
    const scope = (family.sources[i] as OtelSource).scope;
    if (scopes.has(scope)) return i;
    scopes.add(scope);
  }
  return Infinity;
}

/**
 * A duplicate check reading label parts from `cache`.
 *
 * @example
 * const check = createDuplicateCheck(cache, onInvalidKey);
 * check.open(family);
 * if (!check.admit(0, 0, part)) report('ERR_OGF_DUPLICATE_SERIES', …);
 */
export function createDuplicateCheck(cache: RenderCache, onInvalidKey: InvalidKeyHandler): DuplicateCheck {
  let family: Family | undefined;
  let seen: Set<string> | undefined;
  // `seen` holds the keys of every point written before point `upToPoint` of source `upToSource`.
  let upToSource = 0;
  let upToPoint = 0;
  const keyOf = (scope: string, text: string): string => ((family as Family).sources.length > 1 ? `${scope}\u0000${text}` : text);
  const sourceAt = (index: number): OtelSource => (family as Family).sources[index] as OtelSource;
  const partAt = (source: OtelSource, index: number): LabelPart =>
    labelPart((source.metric.dataPoints[index] as DataPoint<unknown>).attributes, cache, onInvalidKey);
  // Adds the keys of the points written since `upTo…`, up to point `pointIndex` of source `sourceIndex`.
  const catchUp = (sourceIndex: number, pointIndex: number): Set<string> => {
    const keys = (seen ??= new Set());
    for (let s = upToSource; s <= sourceIndex; s++) {
      const source = sourceAt(s);
      const end = s === sourceIndex ? pointIndex : source.metric.dataPoints.length;
      for (let p = s === upToSource ? upToPoint : 0; p < end; p++) keys.add(keyOf(source.scope, partAt(source, p).text));
    }
    upToSource = sourceIndex;
    upToPoint = pointIndex;
    return keys;
  };
  const admit = (sourceIndex: number, pointIndex: number, part: LabelPart): boolean => {
    if (part.lossy) check.running = true;
    if (!check.running) return true;
    const keys = catchUp(sourceIndex, pointIndex);
    upToPoint = pointIndex + 1;
    const key = keyOf(sourceAt(sourceIndex).scope, part.text);
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  };
  // The first source whose scope text an earlier source already printed (Infinity: none).
  let sharedFrom = Infinity;
  const check: DuplicateCheck & { running: boolean } = {
    running: false,
    open(next) {
      family = next;
      check.running = false;
      sharedFrom = firstSharedScope(next);
      seen = undefined;
      upToSource = 0;
      upToPoint = 0;
    },
    enter(sourceIndex) {
      if (sourceIndex >= sharedFrom) check.running = true;
    },
    admit,
    admitBlock(sourceIndex, start, end) {
      const keys = catchUp(sourceIndex, start);
      const source = sourceAt(sourceIndex);
      const added: string[] = [];
      let checking = check.running;
      for (let p = start; p < end; p++) {
        const part = partAt(source, p);
        if (part.lossy) checking = true;
        const key = keyOf(source.scope, part.text);
        // Before the block's first lossy point (with the check not running) no key can repeat.
        if (keys.has(key)) {
          // Undo the block: its keys go, and the check stays where the block began.
          for (const own of added) keys.delete(own);
          return false;
        }
        keys.add(key);
        added.push(key);
      }
      check.running = checking;
      upToPoint = end;
      return true;
    },
    skip(lossy) {
      if (lossy) check.running = true;
    },
  };
  return check;
}
