import { describe, expect, it } from 'vitest';
import { calculateEmissions } from '../domain/calculate.ts';
import { emissionFactors, findFactor } from './factor-table.ts';
import { toCanonical } from './units.ts';

describe('the emission-factor table', () => {
  it('cites a public source with a year and a URL for every factor', () => {
    expect(emissionFactors.length).toBeGreaterThanOrEqual(9);
    for (const factor of emissionFactors) {
      expect(factor.kg_co2e_per_unit).toBeGreaterThan(0);
      expect(factor.source.publisher).not.toBe('');
      expect(factor.source.year).toBeGreaterThanOrEqual(2022);
      expect(factor.source.url).toMatch(/^https:\/\//);
    }
  });

  it('covers electricity by region, natural gas, diesel, petrol and air travel', () => {
    for (const [type, region] of [
      ['electricity', 'US'],
      ['electricity', 'GB'],
      ['natural_gas', undefined],
      ['diesel', undefined],
      ['petrol', undefined],
      ['air_travel_long_haul', undefined],
    ] as const) {
      expect(findFactor(type, region).ok).toBe(true);
    }
  });

  it('uses the regional factor when there is one and the default otherwise', () => {
    const gb = findFactor('natural_gas', 'gb');
    const us = findFactor('natural_gas', 'US');
    expect(gb.ok && gb.factor.region).toBe('GB');
    expect(us.ok && us.factor.region).toBe('*');
    expect(findFactor('gasoline', undefined)).toMatchObject({ ok: true, factor: { type: 'petrol' } });
    expect(findFactor('electricity', 'UK')).toMatchObject({ ok: true, factor: { region: 'GB' } });
  });

  it('reports an unknown type and an electricity region without a factor', () => {
    expect(findFactor('coal', 'US')).toMatchObject({ ok: false, code: 'unknown_type' });
    expect(findFactor('electricity', undefined)).toMatchObject({ ok: false, code: 'unknown_region' });
  });
});

describe('unit conversion', () => {
  it('converts energy to kWh', () => {
    expect(toCanonical(2, 'MWh', 'energy')).toBe(2000);
    expect(toCanonical(500, 'wh', 'energy')).toBeCloseTo(0.5);
    expect(toCanonical(1, 'therm', 'energy')).toBeCloseTo(29.307107, 6);
    expect(toCanonical(1, 'GJ', 'energy')).toBeCloseTo(277.7778, 3);
  });

  it('converts gas volumes only when asked to', () => {
    expect(toCanonical(1, 'm3', 'energy')).toBeUndefined();
    // EPA: 1,026 Btu per scf → 0.30069 kWh per scf; ×35.3147 scf per m3.
    expect(toCanonical(1, 'scf', 'energy', { gasVolumes: true })).toBeCloseTo(0.300691, 5);
    expect(toCanonical(1, 'm³', 'energy', { gasVolumes: true })).toBeCloseTo(10.6188, 3);
  });

  it('converts fuel volumes to litres and travel to passenger-km', () => {
    expect(toCanonical(1, 'gal', 'volume')).toBeCloseTo(3.785411784, 9);
    expect(toCanonical(2, 'Litres', 'volume')).toBe(2);
    expect(toCanonical(1, 'miles', 'distance')).toBeCloseTo(1.609344, 9);
    expect(toCanonical(10, 'passenger-km', 'distance')).toBe(10);
    expect(toCanonical(1, 'kWh', 'volume')).toBeUndefined();
  });
});

describe('calculateEmissions', () => {
  it('multiplies the converted quantity by the factor', () => {
    const outcome = calculateEmissions({ id: 'a', type: 'electricity', quantity: 1.2, unit: 'MWh', region: 'US' });
    expect(outcome).toMatchObject({ status: 'success', canonicalQuantity: 1200, canonicalUnit: 'kWh' });
    expect(outcome.status === 'success' && outcome.emissionsKg).toBeCloseTo(1200 * 0.375268, 6);
    const diesel = calculateEmissions({ id: 'b', type: 'diesel', quantity: 10, unit: 'gal' });
    // EPA: 10.21 kg CO2 per gallon.
    expect(diesel.status === 'success' && diesel.emissionsKg).toBeCloseTo(102.1, 3);
  });

  it('fails the activity on an unknown unit', () => {
    expect(calculateEmissions({ id: 'c', type: 'diesel', quantity: 1, unit: 'kWh' })).toMatchObject({
      status: 'failed',
      errorCode: 'unknown_unit',
    });
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'treats %j as an unknown unit, type or region, never as an inherited property',
    (word) => {
      expect(calculateEmissions({ id: 'd', type: 'electricity', quantity: 1, unit: word, region: 'US' })).toMatchObject({
        status: 'failed',
        errorCode: 'unknown_unit',
      });
      expect(calculateEmissions({ id: 'e', type: word, quantity: 1, unit: 'kWh' })).toMatchObject({
        status: 'failed',
        errorCode: 'unknown_type',
      });
      expect(findFactor('electricity', word)).toMatchObject({ ok: false, code: 'unknown_region' });
    },
  );
});
