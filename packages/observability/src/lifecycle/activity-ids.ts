// The duplicate check of a run's activity ids. Ids that arrive in increasing order (shortest
// first, then by character: `a-9` before `a-10`, serial numbers, ULIDs, zero-padded counters)
// cannot repeat one another, so while they do, each costs one comparison and an array push.
// The first id out of that order moves every id seen so far into a `Set`, which checks the rest:
// random ids (UUIDs) cost what a `Set` costs, and a repeated id is always found.

/** Remembers the ids of one run; `add` answers false for an id it has seen before. */
export class ActivityIds {
  private sorted: string[] | undefined = [];
  private last = '';
  private set: Set<string> | undefined;

  /** Adds `id`; false when it was added before. */
  add(id: string): boolean {
    const sorted = this.sorted;
    if (sorted !== undefined) {
      const last = this.last;
      if (sorted.length === 0 || id.length > last.length || (id.length === last.length && id > last)) {
        sorted.push(id);
        this.last = id;
        return true;
      }
      this.set = new Set(sorted);
      this.sorted = undefined;
    }
    const set = this.set!;
    const before = set.size;
    return set.add(id).size !== before;
  }
}
