// The quick starts, run exactly as written: the first ```ts block under "## Quick start" of this
// package's README and of the root README, each started as a real process with tsx, probed over
// HTTP, then stopped with SIGTERM, and type-checked under strict TypeScript.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnTracked } from '@ogf/testkit/processes';

const root = join(import.meta.dirname, '..');
const fixtures = join(import.meta.dirname, 'fixtures');
const workspaceRoot = join(root, '..', '..');
const generated = join(fixtures, 'quickstart.generated.ts');
const READMES = [
  ['packages/observability/README.md', join(root, 'README.md')],
  ['README.md', join(workspaceRoot, 'README.md')],
] as const;
const tsc = join(workspaceRoot, 'node_modules', '.bin', 'tsc');

function quickStart(path: string): string {
  const readme = readFileSync(path, 'utf8');
  const section = readme.split('## Quick start')[1] ?? '';
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error(`${path} has no \`\`\`ts block under "## Quick start"`);
  return code;
}

afterAll(() => rmSync(generated, { force: true }));

describe.each(READMES)('the quick start of %s', (_name, readmePath) => {
  it('runs as written: routes answer, the batch shows with its audit trail, SIGTERM exits 0', { timeout: 90_000 }, async () => {
    writeFileSync(generated, quickStart(readmePath));
    const child = spawnTracked(process.execPath, ['--import', 'tsx', generated], {
      cwd: workspaceRoot,
      env: { PATH: process.env.PATH ?? '', TSX_TSCONFIG_PATH: join(fixtures, 'tsconfig.json'), PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`quick start did not listen:\n${output}`)), 50_000);
        child.stdout?.on('data', () => {
          const match = /"port":(\d+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
        void exited.then((code) => reject(new Error(`quick start exited (${code}):\n${output}`)));
      });
      const base = `http://127.0.0.1:${port}`;

      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^batch_completed_total(\{[^}]*\})? 1$/m);
      expect(metrics).toMatch(/^emissions_grams_total(\{[^}]*\})? 480000$/m);
      const status = (await (await fetch(`${base}/status`)).json()) as Record<string, unknown>;
      expect(status).toMatchObject({ service_name: 'offgridflow', service_version: '1.0.0', environment: 'production' });
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);

      const posted = await fetch(`${base}/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'b-2', orgId: 'org-1', activities: [{ id: 'a-9', quantity: 10, factor: 2.5 }] }),
      });
      expect(await posted.json()).toEqual({ batch_id: 'b-2', emissions_kg: 25 });
      const completedLine = (): string | undefined =>
        output.split('\n').find((line) => line.includes('"batch_id":"b-2"') && line.includes('batch completed'));
      const auditLines = (): { from: string; to: string; trace_id: string }[] =>
        output
          .split('\n')
          .filter((line) => line.includes('"audit":"batch.state_transition"') && line.includes('"batch_id":"b-2"'))
          .map((line) => JSON.parse(line) as { from: string; to: string; trace_id: string });
      // The response can overtake the log lines on their way through the pipe: wait for them to arrive.
      await new Promise<void>((resolve, reject) => {
        const arrived = (): boolean => completedLine() !== undefined && auditLines().length >= 3;
        if (arrived()) return resolve();
        const timer = setTimeout(() => reject(new Error(`the log lines of b-2 never arrived:\n${output}`)), 20_000);
        const onData = (): void => {
          if (!arrived()) return;
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolve();
        };
        child.stdout?.on('data', onData);
      });
      const completed = completedLine();
      expect(completed).toMatch(/"batch_id":"b-2".*"trace_id":"[0-9a-f]{32}","span_id":"[0-9a-f]{16}"/);
      // One call per step recorded every transition, in order, on the batch's trace.
      const audit = auditLines();
      expect(audit.map((r) => `${r.from}→${r.to}`)).toEqual(['pending→queued', 'queued→processing', 'processing→completed']);
      expect(new Set(audit.map((r) => r.trace_id)).size).toBe(1);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('type-checks under strict TypeScript', { timeout: 90_000 }, () => {
    writeFileSync(generated, quickStart(readmePath));
    // The fixtures project maps @ogf/* to source and includes every fixture, this one among them.
    const run = spawnSync(tsc, ['-p', join(fixtures, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });
});
