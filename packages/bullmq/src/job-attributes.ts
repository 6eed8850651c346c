// One attributes object per attribute set. BullMQ builds a new object for every metric call; the
// SDK and the exemplar reservoir both key series by attributes, and the reservoir keeps the last
// object it saw, so handing them the same object for the same set saves rebuilding its key.
import type { Attributes } from '@opentelemetry/api';

/** Distinct attribute sets kept: the SDK's default cardinality limit (2000 series) less its overflow series. */
const MAX_SETS = 1999;

/** The series the SDK reports measurements past its cardinality limit in. */
export const OVERFLOW: Attributes = Object.freeze({ 'otel.metric.overflow': true });

const EMPTY: Attributes = Object.freeze({});

/** The interned attribute sets of one instrument. */
export interface AttributeSets {
  readonly byKey: Map<string, Attributes>;
}

export function createAttributeSets(): AttributeSets {
  return { byKey: new Map() };
}

/** A length-prefixed encoding of one value: injective, and cheap for strings (what BullMQ sends). */
function encode(value: unknown): string {
  const text = typeof value === 'string' ? `s${value}` : `${typeof value}${JSON.stringify(value)}`;
  return `${text.length}:${text}`;
}

/** The key of an attribute set: names in sorted order, unset values left out (as the SDK does). */
function keyOf(attributes: Record<string, unknown>): string {
  const names = Object.keys(attributes);
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) {
    const value = attributes[name];
    if (value !== undefined && value !== null) key += `${name.length}:${name}${encode(value)}`;
  }
  return key;
}

/**
 * The one attributes object for the set `attributes` describes; undefined once `MAX_SETS` sets are
 * kept and this is a new one (the caller decides: pass it on to the SDK, or use `OVERFLOW`).
 */
export function interned(sets: AttributeSets, attributes: Record<string, unknown> | undefined): Attributes | undefined {
  if (attributes === undefined) return EMPTY;
  const key = keyOf(attributes);
  let found = sets.byKey.get(key);
  if (found === undefined) {
    if (sets.byKey.size >= MAX_SETS) return undefined;
    const copy: Attributes = {};
    for (const [name, value] of Object.entries(attributes))
      if (value !== undefined && value !== null) copy[name] = value as Attributes[string];
    found = Object.freeze(copy);
    sets.byKey.set(key, found);
  }
  return found;
}
