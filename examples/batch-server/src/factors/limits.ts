// Upper bounds on activity quantities. A quantity is refused (400) when, converted to its
// dimension's canonical unit, it exceeds MAX_CANONICAL_QUANTITY: 1e9 kWh (1 TWh) of energy, 1e9 L
// of fuel, 1e9 passenger-km of travel. The largest factor (2.7 kg CO2e per litre of diesel) makes
// that at most 2.7e9 kg per activity and 2.7e13 kg per batch of 10,000 activities: far below
// 2^53, where a float64 counter stops resolving additions, so no accepted batch can wreck the
// emissions counter (a 1e300 kWh batch used to make it 3.75e299, hiding every later batch).
import { anyFactorOf } from './factor-table.ts';
import { toCanonical } from './units.ts';

/** The largest quantity accepted, in the canonical unit of its dimension (kWh, L, passenger-km). */
export const MAX_CANONICAL_QUANTITY = 1e9;

/** The bound for one activity: in its own unit, and the canonical unit it was derived from. */
export interface QuantityLimit {
  max: number;
  canonicalUnit: string | undefined;
}

/**
 * The largest quantity of `unit` accepted for an activity `type`: 1e9 canonical units converted
 * back to `unit` (1e6 MWh, 1,000 GWh, 264,172,052 gal, 621,371,192 miles). For a type or unit no
 * factor uses (the activity will fail on its own), 1e9 as given.
 */
export function quantityLimit(type: string, unit: string): QuantityLimit {
  const factor = anyFactorOf(type);
  if (!factor) return { max: MAX_CANONICAL_QUANTITY, canonicalUnit: undefined };
  const perUnit = toCanonical(1, unit, factor.dimension, { gasVolumes: factor.type === 'natural_gas' });
  if (perUnit === undefined || !(perUnit > 0)) return { max: MAX_CANONICAL_QUANTITY, canonicalUnit: undefined };
  return { max: MAX_CANONICAL_QUANTITY / perUnit, canonicalUnit: factor.canonical_unit };
}
