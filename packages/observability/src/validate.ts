// Checks for programmatic config fields (JavaScript callers can pass anything): each failure is an
// OgfError naming the field and what it accepts.
import { OgfError } from './errors.js';

export function fail(setting: string, accepts: string, raw: unknown): never {
  throw new OgfError('ERR_OGF_INVALID_OPTION', `${setting} must be ${accepts}, got ${JSON.stringify(raw)}`);
}

export function optionalString(value: unknown, setting: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(setting, 'a non-empty string', value);
  return value.trim();
}

export function optionalBoolean(value: unknown, setting: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  return fail(setting, 'true or false', value);
}

export function stringRecord(value: unknown, setting: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(setting, 'an object of strings', value);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') fail(`${setting}.${key}`, 'a string', item);
  }
  return value as Record<string, string>;
}

export function oneOf<T extends string>(value: unknown, setting: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(setting, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
}
