// Levels (up-down counters: batches processing, workers busy, batches queued) that never go below
// zero. A decrement with nothing to decrement is cut to what there is and reported, once per
// level, so a port that forgets the matching increment shows up instead of a negative gauge.
import { OgfError } from './errors.js';
import type { LevelSeries } from './series.js';

/** Reports one message per kind of misuse: a loop that repeats it must not flood the hook. */
export function createOnceReporter(report: (error: OgfError) => void): (kind: string, message: string) => void {
  const reported = new Set<string>();
  return (kind, message) => {
    if (reported.has(kind)) return;
    reported.add(kind);
    report(new OgfError('ERR_OGF_MISUSE', `${message} (reported once)`));
  };
}

export class FlooredLevel {
  private level = 0;

  constructor(
    private readonly series: LevelSeries,
    /** Called when a decrement finds less than it wants; says what happened and what to do. */
    private readonly onShort: (operation: string, wanted: number, had: number) => void,
  ) {}

  up(count = 1): void {
    this.level += count;
    this.series.add(count);
  }

  down(operation: string, count = 1): void {
    const taken = Math.min(count, this.level);
    if (taken < count) this.onShort(operation, count, this.level);
    if (taken <= 0) return;
    this.level -= taken;
    this.series.add(-taken);
  }

  set(value: number): void {
    this.level = value;
    this.series.set(value);
  }
}
