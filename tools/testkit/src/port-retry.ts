// Starting a child process that must be told a concrete port (PostgreSQL, Redis, Prometheus): the
// port comes from `freePort()`, which was free a moment ago, and the child binds it a moment later.
// In between, another process on the machine (a parallel test file, another CI run) can take it, and
// the child then fails to bind. `startOnFreePort` starts again on a new port when, and only when,
// the child's output says the address was in use; any other failure fails at once.
//
//   const handle = await startOnFreePort({
//     name: 'redis',
//     inUse: /Address already in use/,
//     start: async (port) => { ...spawn on `port`, wait for ready; reject with its output... },
//   });
//
// A child that can listen on port 0 and report the port it bound needs none of this: bind 0 and
// read the port back from the child (what the example batch server's test helper does).
import { createServer } from 'node:net';

/** How many starts a port collision may cost before the start fails. */
export const PORT_ATTEMPTS = 3;

export interface StartOnFreePortOptions<T> {
  /** Names the service in errors, e.g. `postgres`. */
  name: string;
  /**
   * Starts the service on `port` and resolves once it is ready. On failure it must have stopped
   * what it started, and reject with an error whose message carries what the child printed.
   */
  start: (port: number) => Promise<T>;
  /** Matches the child's output when it failed because its port was taken. */
  inUse: RegExp;
  /** Picks each attempt's port (default `freePort`); testkit's own tests hand out a taken one first. */
  pickPort?: () => Promise<number>;
  /** How many attempts in all (default `PORT_ATTEMPTS`). */
  attempts?: number;
}

/**
 * Starts a service on a free port, starting again on another port (at most `attempts` in all) when
 * the child failed because the port was taken in the meantime.
 *
 * @example
 * ```ts
 * const server = await startOnFreePort({ name: 'redis', inUse: /Address already in use/, start: (port) => launch(port) });
 * ```
 */
export async function startOnFreePort<T>(options: StartOnFreePortOptions<T>): Promise<T> {
  const attempts = options.attempts ?? PORT_ATTEMPTS;
  const pickPort = options.pickPort ?? freePort;
  const collisions: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = await pickPort();
    try {
      return await options.start(port);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const report = `attempt ${attempt}, port ${port}: ${message}`;
      if (!options.inUse.test(message)) {
        if (collisions.length === 0) throw error;
        throw new Error(
          `${options.name} failed to start (after ${collisions.length} port collision(s)):\n${[...collisions, report].join('\n')}`,
          {
            cause: error,
          },
        );
      }
      collisions.push(report);
    }
  }
  throw new Error(
    `${options.name} could not start: the port was taken by another process in each of ${attempts} attempts:\n${collisions.join('\n')}`,
  );
}

/**
 * A port that was free a moment ago on 127.0.0.1. Another process may take it before the caller
 * binds it: start children on it through `startOnFreePort`, and bind port 0 where the child can.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
