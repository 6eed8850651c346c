// The duplicate check of a run's activity ids. Ids that arrive in increasing order (shortest
// first, then by character: `a-9` before `a-10`, serial numbers, ULIDs, zero-padded counters)
// cannot repeat one another, so while they do, each costs one comparison and one slot in a list
// sized up front from the batch's `activityCount` (no growing and copying as ids arrive).
// The first id out of that order moves every id seen so far into a `Set`, which checks the rest:
// random ids (UUIDs) cost what a `Set` costs, and a repeated id is always found.

/** The most slots reserved up front; a longer run grows the list as it goes. */
const MAX_RESERVED = 4096;

/** Remembers the ids of one run; `add` answers false for an id it has seen before. */
export class ActivityIds {
  private sorted: string[] | undefined;
  private count = 0;
  private last = '';
  private set: Set<string> | undefined;

  /** `expected`: how many ids the run will likely see (its `activityCount`), to size the list once. */
  constructor(expected?: number) {
    this.sorted = typeof expected === 'number' && expected >= 1 ? new Array<string>(Math.min(Math.floor(expected), MAX_RESERVED)) : [];
  }

  /** Adds `id`; false when it was added before. */
  add(id: string): boolean {
    const sorted = this.sorted;
    if (sorted !== undefined) {
      const last = this.last;
      const count = this.count;
      if (count === 0 || id.length > last.length || (id.length === last.length && id > last)) {
        sorted[count] = id;
        this.count = count + 1;
        this.last = id;
        return true;
      }
      this.set = new Set(sorted.slice(0, count));
      this.sorted = undefined;
    }
    const set = this.set!;
    const before = set.size;
    return set.add(id).size !== before;
  }
}
