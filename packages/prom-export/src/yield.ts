// A macrotask turn: timers and I/O callbacks run before the next slice of work. setImmediate
// (Node, Bun, Deno) has no clamp; setTimeout(0) waits at least 1 ms in Node (4 ms when nested in
// browsers), which cost every slice a millisecond of doing nothing. workerd without nodejs_compat
// falls back to it.
const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;

/** Resolves on a later turn of the event loop. */
export const yieldToEventLoop: () => Promise<void> =
  typeof immediate === 'function'
    ? () => new Promise((resolve) => immediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));
