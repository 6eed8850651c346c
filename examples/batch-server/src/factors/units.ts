// Unit conversion into the canonical unit of each dimension: energy in kWh, liquid volume in
// litres, travel in passenger-km. Unit names are matched case-insensitively with spaces, dots and
// underscores ignored, so "kWh", "KWH" and "k wh" are one unit ("mwh" is megawatt-hours).

export type Dimension = 'energy' | 'volume' | 'distance';

const KWH_PER_MMBTU = 293.07107;
const LITRES_PER_US_GALLON = 3.785411784;
const KM_PER_MILE = 1.609344;
const M3_PER_SCF = 0.028316846592;
/** EPA GHG Emission Factors Hub 2024: natural gas heat content 0.001026 mmBtu per scf (HHV). */
const NATURAL_GAS_MMBTU_PER_SCF = 0.001026;
const NATURAL_GAS_KWH_PER_SCF = NATURAL_GAS_MMBTU_PER_SCF * KWH_PER_MMBTU;

const ENERGY_KWH: Record<string, number> = {
  wh: 0.001,
  kwh: 1,
  mwh: 1_000,
  gwh: 1_000_000,
  mj: 1 / 3.6,
  gj: 1_000 / 3.6,
  therm: KWH_PER_MMBTU / 10,
  therms: KWH_PER_MMBTU / 10,
  mmbtu: KWH_PER_MMBTU,
};

/** Gas volumes, converted to energy with the EPA heat content (only for natural gas). */
const GAS_VOLUME_KWH: Record<string, number> = {
  m3: NATURAL_GAS_KWH_PER_SCF / M3_PER_SCF,
  scf: NATURAL_GAS_KWH_PER_SCF,
  ft3: NATURAL_GAS_KWH_PER_SCF,
  ccf: NATURAL_GAS_KWH_PER_SCF * 100,
  mcf: NATURAL_GAS_KWH_PER_SCF * 1_000,
};

const VOLUME_LITRES: Record<string, number> = {
  l: 1,
  litre: 1,
  litres: 1,
  liter: 1,
  liters: 1,
  gal: LITRES_PER_US_GALLON,
  gallon: LITRES_PER_US_GALLON,
  gallons: LITRES_PER_US_GALLON,
  m3: 1_000,
};

const DISTANCE_PKM: Record<string, number> = {
  km: 1,
  pkm: 1,
  'passenger-km': 1,
  passengerkm: 1,
  mi: KM_PER_MILE,
  mile: KM_PER_MILE,
  miles: KM_PER_MILE,
  pmi: KM_PER_MILE,
  'passenger-mile': KM_PER_MILE,
  'passenger-miles': KM_PER_MILE,
  passengermile: KM_PER_MILE,
  passengermiles: KM_PER_MILE,
};

const TABLES: Record<Dimension, Record<string, number>> = {
  energy: ENERGY_KWH,
  volume: VOLUME_LITRES,
  distance: DISTANCE_PKM,
};

// Units come from request bodies: `constructor` must not find Object.prototype's.
function ownNumber(table: Record<string, number>, key: string): number | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function normaliseUnit(unit: string): string {
  return unit
    .trim()
    .toLowerCase()
    .replace(/[\s._]/g, '')
    .replace(/³/g, '3');
}

/**
 * Converts a quantity to the canonical unit of a dimension; `undefined` when the unit is not one
 * of that dimension's units. Natural gas also accepts volumes (m3, scf, ccf, mcf).
 */
export function toCanonical(
  quantity: number,
  unit: string,
  dimension: Dimension,
  options: { gasVolumes?: boolean } = {},
): number | undefined {
  const key = normaliseUnit(unit);
  const perUnit = ownNumber(TABLES[dimension], key) ?? (options.gasVolumes ? ownNumber(GAS_VOLUME_KWH, key) : undefined);
  return perUnit === undefined ? undefined : quantity * perUnit;
}
