import { spawnSync } from 'node:child_process';

export interface PromtoolResult {
  /** promtool's exit code: 0 when the exposition is valid and lint-clean. */
  exitCode: number;
  /** Lint findings and parse errors, one per line, empty when clean. */
  findings: string[];
}

/**
 * Feeds an exposition to `promtool check metrics` (Debian package `prometheus`). Fails loudly
 * when promtool is missing: a check that silently skips cannot fail, which is a defect.
 */
export function promtoolCheckMetrics(exposition: string): PromtoolResult {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (run.error) {
    throw new Error(`promtool is required for this test (apt-get install prometheus): ${run.error.message}`);
  }
  const output = `${run.stdout}\n${run.stderr}`;
  const findings = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return { exitCode: run.status ?? -1, findings };
}

/** Throws with promtool's findings unless the exposition is valid with zero lint findings. */
export function assertPromtoolClean(exposition: string): void {
  const result = promtoolCheckMetrics(exposition);
  if (result.exitCode !== 0 || result.findings.length > 0) {
    throw new Error(
      `promtool check metrics failed (exit ${result.exitCode}):\n${result.findings.join('\n')}\n--- exposition ---\n${exposition.slice(0, 4000)}`,
    );
  }
}
