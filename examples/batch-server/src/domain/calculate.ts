// kg CO2e = quantity converted to the factor's canonical unit × the factor.
import { findFactor } from '../factors/factor-table.ts';
import { toCanonical } from '../factors/units.ts';
import type { ActivityInput, ActivityOutcome } from './types.ts';

/** Computes one activity's emissions; an unknown type, region or unit fails only this activity. */
export function calculateEmissions(activity: ActivityInput): ActivityOutcome {
  const lookup = findFactor(activity.type, activity.region);
  if (!lookup.ok) return { status: 'failed', errorCode: lookup.code, errorMessage: lookup.message };
  const { factor } = lookup;
  const canonical = toCanonical(activity.quantity, activity.unit, factor.dimension, {
    gasVolumes: factor.type === 'natural_gas',
  });
  if (canonical === undefined) {
    return {
      status: 'failed',
      errorCode: 'unknown_unit',
      errorMessage: `unit "${activity.unit}" is not a ${factor.dimension} unit usable for ${factor.type}`,
    };
  }
  return {
    status: 'success',
    emissionsKg: canonical * factor.kg_co2e_per_unit,
    factorKgPerUnit: factor.kg_co2e_per_unit,
    canonicalQuantity: canonical,
    canonicalUnit: factor.canonical_unit,
  };
}
