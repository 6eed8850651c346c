import type { AttributeSet } from './series.js';
import type { Settings } from './settings.js';
import { normaliseState } from './states.js';
import { OgfError } from './errors.js';

const MAX_LOCK_NAME_LENGTH = 64;

/** The attribute sets of one lock name, built once and reused on every call. */
export interface LockSets {
  readonly counter: AttributeSet;
  readonly acquired: AttributeSet;
  readonly timedOut: AttributeSet;
}

function lockSets(lock: string): LockSets {
  return {
    counter: { attributes: { lock } },
    acquired: { attributes: { lock, acquired: true } },
    timedOut: { attributes: { lock, acquired: false } },
  };
}

/**
 * Closed sets of attribute values, each value's set built once: error types, outcomes,
 * state pairs and lock names (bounded: a configured list or the first N names seen).
 */
export function createAttributeSets(
  settings: Settings,
  report: (error: OgfError) => void,
): {
  errorType(type: string): AttributeSet;
  transition(from: unknown, to: unknown): AttributeSet;
  lock(name: unknown): LockSets;
} {
  const errorTypes = new Map(settings.classifier.types.map((type) => [type, { attributes: { error_type: type } }]));
  const otherError = errorTypes.get('other') as AttributeSet;
  const transitions = new Map<string, AttributeSet>();
  const locks = new Map<string, LockSets>((settings.lockNames ?? []).map((name) => [name, lockSets(name)]));
  const otherLock = lockSets('other');
  let overflowReported = false;

  return {
    errorType: (type) => errorTypes.get(type) ?? otherError,
    transition(from, to) {
      const fromState = normaliseState(from);
      const toState = normaliseState(to);
      const key = `${fromState}>${toState}`;
      let set = transitions.get(key);
      if (set === undefined) {
        set = { attributes: { from: fromState, to: toState } };
        transitions.set(key, set);
      }
      return set;
    },
    lock(name) {
      if (typeof name !== 'string') return otherLock;
      const known = locks.get(name);
      if (known !== undefined) return known;
      if (settings.lockNames !== undefined || name.length === 0 || name.length > MAX_LOCK_NAME_LENGTH) return otherLock;
      if (locks.size >= settings.maxLockNames) {
        if (!overflowReported) {
          overflowReported = true;
          report(
            new OgfError(
              'ERR_OGF_CARDINALITY',
              `lock names: more than maxLockNames (${settings.maxLockNames}) distinct names; "${name.slice(0, 64)}" and later new names are recorded as 'other'. Use a few stable lock names (not org IDs) or pass lockNames.`,
            ),
          );
        }
        return otherLock;
      }
      const sets = lockSets(name);
      locks.set(name, sets);
      return sets;
    },
  };
}
