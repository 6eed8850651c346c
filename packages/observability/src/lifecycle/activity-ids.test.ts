import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActivityIds } from './activity-ids.js';

describe('ActivityIds', () => {
  it('finds a repeated id among ids in increasing order, shortest first, past the number it expected', () => {
    const ids = new ActivityIds(100);
    for (let i = 0; i < 120; i++) expect(ids.add(`a-${i}`)).toBe(true);
    expect(ids.add('a-99')).toBe(false);
    expect(ids.add('a-0')).toBe(false);
    expect(ids.add('a-120')).toBe(true);
    expect(ids.add('a-120')).toBe(false);
  });

  it('finds an id repeated right after itself and the empty id repeated', () => {
    const ids = new ActivityIds();
    expect(ids.add('')).toBe(true);
    expect(ids.add('')).toBe(false);
    const next = new ActivityIds();
    expect(next.add('x')).toBe(true);
    expect(next.add('x')).toBe(false);
  });

  it('answers exactly as a Set would for any sequence of ids, whatever number of ids it was told to expect', () => {
    const expected = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -2, max: 80 }),
      fc.constant(Number.NaN),
      fc.double({ min: 0, max: 100 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.nat(200).map(String), fc.uuid()), { maxLength: 60 }),
        expected,
        (sequence, hint) => {
          const ids = new ActivityIds(hint);
          const reference = new Set<string>();
          for (const id of sequence) {
            const fresh = !reference.has(id);
            reference.add(id);
            expect(ids.add(id)).toBe(fresh);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
