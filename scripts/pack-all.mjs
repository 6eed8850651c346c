#!/usr/bin/env node
// Packs every published @ogf package into one folder (default: tarballs/), the way a user installs
// them before the first release: `npm i ../ogf/tarballs/*.tgz`. scripts/check-packages.mjs installs
// from exactly these tarballs, so the README's install lines are what CI checks.
//
//   node scripts/pack-all.mjs [--out DIR]     (run `pnpm build` first; `pnpm pack:all` does both)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');

/** The workspace's published packages: packages/* that are not private. */
export function publishedPackages() {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
}

/** Packs each published package into `outDir` (emptied of old tarballs first); returns name → path. */
export function packAll(outDir) {
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(outDir)) if (name.endsWith('.tgz')) rmSync(join(outDir, name));
  const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
  const tarballs = {};
  for (const { dir, manifest } of publishedPackages()) {
    if (!existsSync(join(dir, 'dist'))) throw new Error(`${manifest.name} is not built: run \`pnpm build\` first`);
    // pnpm pack rewrites workspace:^ ranges to the packages' versions, which npm understands.
    const out = execFileSync('npx', ['-y', `pnpm@${pnpmVersion}`, 'pack', '--pack-destination', outDir], { cwd: dir, encoding: 'utf8' });
    tarballs[manifest.name] = out.trim().split('\n').pop().trim();
  }
  return tarballs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flag = process.argv.indexOf('--out');
  const outDir = resolve(flag >= 0 ? process.argv[flag + 1] : join(root, 'tarballs'));
  const tarballs = packAll(outDir);
  for (const [name, file] of Object.entries(tarballs)) console.log(`${name}\t${basename(file)}`);
  console.log(`\n${Object.keys(tarballs).length} tarballs in ${outDir}; install them with: npm i ${outDir}/*.tgz`);
}
