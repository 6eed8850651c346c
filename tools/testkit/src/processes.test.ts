import { describe, expect, it } from 'vitest';
import { descendantsOf, markerOf, processesOfRun, runId, spawnTracked, stopProcessTree } from './processes.ts';

function listening(child: ReturnType<typeof spawnTracked>): Promise<void> {
  return new Promise((resolve) => child.stdout?.once('data', () => resolve()));
}

describe('spawnTracked and stopProcessTree', () => {
  it('marks the process with the run id, so the end-of-suite check can find it', async () => {
    const child = spawnTracked('sleep', ['60'], { stdio: 'ignore' });
    try {
      expect(markerOf(child.pid!)).toBe(runId());
      expect(processesOfRun(runId()).map((entry) => entry.pid)).toContain(child.pid);
    } finally {
      await stopProcessTree(child);
    }
  });

  it('stops what a wrapper started, not only the wrapper (a shell script that does not exec)', async () => {
    // The shape of node_modules/.bin/bun: a shell that runs the binary as its child and waits.
    const wrapper = spawnTracked('sh', ['-c', 'sleep 60 & echo started; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await listening(wrapper);
    const inner = descendantsOf(wrapper.pid!);
    expect(inner.length).toBeGreaterThan(0);
    await stopProcessTree(wrapper);
    expect(inner.filter((pid) => markerOf(pid) === runId())).toEqual([]);
  });

  it('kills a descendant that moved to a session of its own (as PostgreSQL backends do)', async () => {
    const wrapper = spawnTracked('sh', ['-c', 'setsid sleep 60 & echo started; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await listening(wrapper);
    const inner = descendantsOf(wrapper.pid!);
    expect(inner.length).toBeGreaterThan(0);
    await stopProcessTree(wrapper);
    expect(inner.filter((pid) => markerOf(pid) === runId())).toEqual([]);
  });

  it('falls back to SIGKILL when the process ignores the polite signal, and reports how it ended', async () => {
    const stubborn = spawnTracked('sh', ['-c', "trap '' TERM; echo started; while :; do sleep 0.1; done"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await listening(stubborn);
    expect(await stopProcessTree(stubborn, { graceMs: 300 })).toBe('SIGKILL');
  });
});
