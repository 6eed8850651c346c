// `pnpm bench`: runs every member's `bench` script (each writes bench/results.md in its own
// directory), then assembles BENCHMARKS.md at the root with the machine it ran on.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
// `--assemble` only rebuilds BENCHMARKS.md from the committed results; other arguments name packages.
const assembleOnly = process.argv.includes('--assemble');
const only = process.argv.slice(2).filter((arg) => arg !== '--assemble');
const members = ['packages', 'examples']
  .flatMap((group) => (existsSync(join(root, group)) ? readdirSync(join(root, group)).map((n) => join(root, group, n)) : []))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.scripts?.bench)
  .filter(({ manifest }) => !assembleOnly && (only.length === 0 || only.includes(manifest.name)));

const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
for (const { dir, manifest } of members) {
  console.log(`\n== bench ${manifest.name}`);
  execFileSync('npx', ['-y', `pnpm@${pnpmVersion}`, 'run', 'bench'], { cwd: dir, stdio: 'inherit' });
}

const cpu = cpus()[0]?.model ?? 'unknown cpu';
const sections = ['packages', 'examples']
  .flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group))
          .sort()
          .map((n) => join(root, group, n))
      : [],
  )
  .map((dir) => join(dir, 'bench', 'results.md'))
  .filter((file) => existsSync(file))
  .map((file) => readFileSync(file, 'utf8').trim());

writeFileSync(
  join(root, 'BENCHMARKS.md'),
  [
    '# Benchmarks',
    '',
    "Written by `pnpm bench`; each section comes from that package's `bench/results.md`, measured in one run",
    'against its baseline on the same machine, so the ratios matter more than the absolute numbers.',
    '',
    `Last assembled: ${new Date().toISOString()} on ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}.`,
    'Each section names the run it comes from; `pnpm bench` reruns them all, `pnpm bench <package name>` one.',
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n'),
);
console.log('\nBENCHMARKS.md written');
