// Option checks shared by the factories: misconfiguration throws at construction with a message
// that says what was expected.
import { OgfError } from './errors.js';

export function optionalNumber(
  value: unknown,
  name: string,
  fallback: number,
  { min = 0, exclusiveMin = false }: { min?: number; exclusiveMin?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (exclusiveMin && value === min)) {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      `${name} must be a finite number ${exclusiveMin ? '>' : '>='} ${min}, got ${typeof value === 'number' ? value : typeof value}`,
    );
  }
  return value;
}

export function optionalThreshold(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : optionalNumber(value, name, 0);
}

export function optionalFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `${name} must be a function, got ${typeof value}`);
  }
  return value;
}
