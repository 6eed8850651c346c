// The test's own arithmetic: kg CO2e from the shipped factor table, with conversions written out
// here independently of src/factors/units.ts.
import table from '../../src/factors/emission-factors.json' with { type: 'json' };
import type { Activity } from './api.ts';

const TO_CANONICAL: Record<string, number> = {
  kWh: 1,
  MWh: 1000,
  therm: 29.307107,
  L: 1,
  gal: 3.785411784,
  km: 1,
  'passenger-km': 1,
  miles: 1.609344,
};

export function factorFor(type: string, region?: string): number {
  const regional = table.factors.find((f) => f.type === type && f.region === region);
  const fallback = table.factors.find((f) => f.type === type && f.region === '*');
  const factor = regional ?? fallback;
  if (!factor) throw new Error(`test uses an unknown factor ${type}/${region}`);
  return factor.kg_co2e_per_unit;
}

export function expectedKg(activity: Activity): number {
  const perUnit = TO_CANONICAL[activity.unit];
  if (perUnit === undefined) throw new Error(`test uses an unknown unit ${activity.unit}`);
  return activity.quantity * perUnit * factorFor(activity.type, activity.region);
}

/** A valid activity mix of `count` activities, cycling through every factor family. */
export function knownActivities(count: number, prefix = 'a'): Activity[] {
  const templates: Omit<Activity, 'id'>[] = [
    { type: 'electricity', quantity: 1200, unit: 'kWh', region: 'US' },
    { type: 'electricity', quantity: 3.5, unit: 'MWh', region: 'GB' },
    { type: 'natural_gas', quantity: 250, unit: 'therm' },
    { type: 'natural_gas', quantity: 900, unit: 'kWh', region: 'GB' },
    { type: 'diesel', quantity: 40, unit: 'gal' },
    { type: 'petrol', quantity: 55, unit: 'L' },
    { type: 'air_travel_long_haul', quantity: 5500, unit: 'km' },
    { type: 'air_travel_short_haul', quantity: 620, unit: 'miles' },
    { type: 'air_travel_domestic', quantity: 410, unit: 'passenger-km' },
  ];
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}${index + 1}`,
    ...templates[index % templates.length]!,
    quantity: (templates[index % templates.length]!.quantity * (1 + (index % 7))) / 2,
  }));
}
