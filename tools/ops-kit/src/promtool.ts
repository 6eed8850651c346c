import { spawnSync } from 'node:child_process';

export interface PromtoolRun {
  exitCode: number;
  /** stdout and stderr together, as promtool prints them. */
  output: string;
}

/**
 * Runs Debian's `promtool` (package `prometheus`) with the given arguments. Throws when promtool
 * is missing: a check that silently skips cannot fail.
 */
export function promtool(args: string[], cwd?: string): PromtoolRun {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (run.error) {
    throw new Error(`promtool is required (apt-get install prometheus): ${run.error.message}`);
  }
  return { exitCode: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/**
 * The lines of a promtool run that are neither progress ("Checking …", "Unit Testing: …") nor
 * success ("SUCCESS: …"): warnings, lint findings and failures. Empty means clean.
 */
export function promtoolFindings(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .filter((line) => !/^(Checking |Unit Testing: |SUCCESS\b)/.test(line));
}
