// @ogf/health/node: the checks that need Node (event loop, memory) and a checker that watches the
// event loop for liveness by default.
import { createHealthChecker, type HealthChecker, type HealthCheckerOptions } from './checker.js';
import { eventLoopCheck, type EventLoopCheck, type EventLoopCheckOptions } from './event-loop.js';
import { memoryCheck, type MemoryCheckOptions } from './memory.js';

export { eventLoopCheck, memoryCheck };
export type { EventLoopCheck, EventLoopCheckOptions, MemoryCheckOptions };

export interface NodeHealthCheckerOptions extends HealthCheckerOptions {
  /** The liveness check `event_loop` (default on); `false` leaves liveness empty. */
  eventLoop?: EventLoopCheckOptions | false;
}

/**
 * createHealthChecker plus an `event_loop` liveness check: on Node, "the process makes progress"
 * means its event loop turns.
 *
 * @example
 * const health = createNodeHealthChecker({ eventLoop: { unhealthyAfterMs: 2_000 } });
 * await health.live(); // { status: 'healthy', checks: { event_loop: { … } }, … }
 */
export function createNodeHealthChecker(options: NodeHealthCheckerOptions = {}): HealthChecker {
  const { eventLoop, ...rest } = options;
  const checker = createHealthChecker(rest);
  if (eventLoop !== false) checker.register('event_loop', eventLoopCheck(eventLoop ?? {}), { probes: ['liveness'] });
  return checker;
}
