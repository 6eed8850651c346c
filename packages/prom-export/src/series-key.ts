// One string per attribute set, equal exactly when the SDK treats two attribute objects as the
// same series (its AttributeHashMap keys on the sorted entries, serialised). Memoised on the
// attributes object: instrumented code usually passes the same object for a series (our own
// metrics intern them), so folding a delta costs one property read per series.
import type { Attributes } from '@opentelemetry/api';

const KEY = Symbol('ogf.seriesKey');
const frozenKeys = new WeakMap<Attributes, string>();

type Keyed = Attributes & { [KEY]?: string };

function compute(attributes: Attributes): string {
  const names = Object.keys(attributes);
  if (names.length === 0) return '';
  names.sort();
  return JSON.stringify(names.map((name) => [name, attributes[name]]));
}

/** The series key of an attributes object. */
export function seriesKey(attributes: Attributes): string {
  const own = (attributes as Keyed)[KEY];
  if (own !== undefined) return own;
  if (!Object.isExtensible(attributes)) {
    let key = frozenKeys.get(attributes);
    if (key === undefined) {
      key = compute(attributes);
      frozenKeys.set(attributes, key);
    }
    return key;
  }
  const key = compute(attributes);
  // Not enumerable: the attributes stay as the caller made them for every other reader.
  Object.defineProperty(attributes, KEY, { value: key });
  return key;
}
