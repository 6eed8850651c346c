// The emission-factor table shipped as data (emission-factors.json, with a public source per
// factor) and its lookup by activity type and region.
import table from './emission-factors.json' with { type: 'json' };
import type { Dimension } from './units.ts';

export interface FactorSource {
  publisher: string;
  dataset: string;
  year: number;
  url: string;
}

export interface EmissionFactor {
  type: string;
  /** ISO 3166 alpha-2 code, or '*' for the default used when no regional factor exists. */
  region: string;
  dimension: Dimension;
  canonical_unit: string;
  kg_co2e_per_unit: number;
  gases: string;
  derivation: string;
  source: FactorSource;
}

export const emissionFactors: readonly EmissionFactor[] = table.factors as EmissionFactor[];
const aliases: Record<string, string> = table.aliases;

export type FactorLookup = { ok: true; factor: EmissionFactor } | { ok: false; code: 'unknown_type' | 'unknown_region'; message: string };

function canonicalName(name: string): string {
  return Object.hasOwn(aliases, name) ? (aliases[name] ?? name) : name;
}

/** Finds the factor for a type in a region, falling back to the type's default ('*') factor. */
export function findFactor(type: string, region: string | undefined): FactorLookup {
  const wantedType = canonicalName(type.trim().toLowerCase());
  const candidates = emissionFactors.filter((factor) => factor.type === wantedType);
  if (candidates.length === 0) {
    return { ok: false, code: 'unknown_type', message: `no emission factor for activity type "${type}"` };
  }
  const wantedRegion = region === undefined ? undefined : canonicalName(region.trim().toUpperCase());
  const regional = candidates.find((factor) => factor.region === wantedRegion);
  const fallback = candidates.find((factor) => factor.region === '*');
  const factor = regional ?? fallback;
  if (!factor) {
    const known = candidates.map((c) => c.region).join(', ');
    return {
      ok: false,
      code: 'unknown_region',
      message: `no ${wantedType} factor for region "${region ?? ''}" (known: ${known})`,
    };
  }
  return { ok: true, factor };
}

/** The factor a type is priced with in some region (its dimension and canonical unit are the same in every region). */
export function anyFactorOf(type: string): EmissionFactor | undefined {
  const wantedType = canonicalName(type.trim().toLowerCase());
  return emissionFactors.find((factor) => factor.type === wantedType);
}
