// The suite's global setup: it names this run in the environment every test process inherits, and
// at the end it fails the run when any process carrying that name is still alive (PostgreSQL, Redis,
// Prometheus, Bun, Deno, workerd, an example server), after killing it so that nothing stays behind.
import { randomUUID } from 'node:crypto';
import { processesOfRun, RUN_MARKER, signalTree, type MarkedProcess } from './processes.ts';

/** How long stragglers get to finish exiting once the last test file is done. */
const SETTLE_MS = 5_000;

async function leftovers(id: string): Promise<MarkedProcess[]> {
  // This process and its parent (a pnpm or turbo run) may carry the marker too.
  const ours = new Set<number>([process.pid, process.ppid]);
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const alive = processesOfRun(id).filter((entry) => !ours.has(entry.pid));
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export default function setup(): () => Promise<void> {
  const id = `vitest-${randomUUID()}`;
  process.env[RUN_MARKER] = id;
  return async () => {
    const alive = await leftovers(id);
    if (alive.length === 0) return;
    for (const entry of alive) signalTree(entry.pid, 'SIGKILL');
    const list = alive.map((entry) => `  pid ${entry.pid}: ${entry.command.slice(0, 200)}`).join('\n');
    // Vitest reports an error thrown here but still exits 0, so the exit code is set as well.
    process.exitCode = 1;
    throw new Error(
      `${alive.length} process(es) started by the tests were still running at the end (now killed); ` +
        `stop them in the test that starts them (tools/testkit/src/processes.ts):\n${list}`,
    );
  };
}
