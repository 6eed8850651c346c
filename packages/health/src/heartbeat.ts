// A heartbeat you feed from a loop (a scheduler's poll, a consumer's fetch): the check fails when
// the loop stops beating, which is the clearest liveness signal a batch processor has.
import { OgfError } from './errors.js';
import { optionalNumber } from './options.js';
import type { HealthCheck } from './types.js';

export interface HeartbeatOptions {
  /** The loop is considered stuck when it has not beaten for this long. Default 60 000 ms. */
  maxAgeMs?: number;
}

export interface Heartbeat {
  /** Call on every iteration of the loop. Never throws. */
  beat(): void;
  /** Milliseconds since the last beat (since creation before the first one). */
  ageMs(): number;
  /** How many beats so far. */
  beats(): number;
  readonly maxAgeMs: number;
  /** unhealthy (`stale_heartbeat`) when older than maxAgeMs. Safe for liveness: no I/O. */
  readonly check: HealthCheck;
}

/**
 * Creates a heartbeat for a loop; register its `check` for liveness.
 *
 * @example
 * const heartbeat = createHeartbeat({ maxAgeMs: 30_000 });
 * health.register('scheduler_loop', heartbeat.check, { probes: ['liveness'] });
 * setInterval(() => { heartbeat.beat(); poll(); }, 1_000);
 */
export function createHeartbeat(options: HeartbeatOptions = {}): Heartbeat {
  if (typeof options !== 'object' || options === null)
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'createHeartbeat expects an options object');
  const maxAgeMs = optionalNumber(options.maxAgeMs, 'maxAgeMs', 60_000, { exclusiveMin: true });
  let last = performance.now();
  let count = 0;
  const ageMs = (): number => Math.round(performance.now() - last);
  return {
    beat() {
      last = performance.now();
      count += 1;
    },
    ageMs,
    beats: () => count,
    maxAgeMs,
    check: () => {
      const age = ageMs();
      const details = { age_ms: age, max_age_ms: maxAgeMs, beats: count };
      return age > maxAgeMs ? { status: 'unhealthy', message: 'stale_heartbeat', details } : { status: 'healthy', details };
    },
  };
}
