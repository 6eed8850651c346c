#!/usr/bin/env node
// The fast lane: every test file that needs no external process (no PostgreSQL, Redis, Prometheus,
// promtool, Python parser, Bun, Deno, workerd, child server). A file belongs to the slow lane when
// anything it imports, followed through relative and @ogf/* source imports, can start a process:
// node:child_process, or a library that runs a binary of its own. Nobody has to tag a test by hand,
// and a test that starts using a real server leaves the fast lane by itself.
//
//   node scripts/test-fast.mjs            run the fast lane with vitest
//   node scripts/test-fast.mjs --list     print which files are fast and which slow, and why
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const groups = ['packages', 'examples', 'tools'];

/** Imports that start a process: Node's own, and libraries that spawn a binary. */
const SPAWNING = new Set(['node:child_process', 'child_process', 'miniflare', 'esbuild', 'execa']);

function walk(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, found);
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const members = groups.flatMap((group) => {
  const dir = join(root, group);
  return existsSync(dir)
    ? readdirSync(dir)
        .map((name) => join(dir, name))
        .filter((path) => existsSync(join(path, 'package.json')))
    : [];
});

const memberByName = new Map(members.map((dir) => [JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, dir]));

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function resolveSource(specifier, fromFile) {
  if (specifier.startsWith('.')) {
    const base = resolve(dirname(fromFile), specifier);
    for (const candidate of [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }
  const match = /^(@ogf\/[^/]+)(?:\/(.+))?$/.exec(specifier);
  const dir = match && memberByName.get(match[1]);
  if (!dir) return undefined;
  const candidate = join(dir, 'src', `${match[2] ?? 'index'}.ts`);
  return existsSync(candidate) ? candidate : undefined;
}

const verdicts = new Map();

/** The first import chain from `file` that reaches a spawning module, or undefined. */
function spawningChain(file, visiting = new Set()) {
  if (verdicts.has(file)) return verdicts.get(file);
  if (visiting.has(file)) return undefined;
  visiting.add(file);
  const text = readFileSync(file, 'utf8');
  let chain;
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (SPAWNING.has(specifier)) {
      chain = [specifier];
      break;
    }
    const source = resolveSource(specifier, file);
    const inner = source && spawningChain(source, visiting);
    if (inner) {
      chain = [relative(root, source), ...inner];
      break;
    }
  }
  verdicts.set(file, chain);
  return chain;
}

const files = members.flatMap((dir) =>
  ['src', 'test']
    .map((sub) => join(dir, sub))
    .filter(existsSync)
    .flatMap((dir) => walk(dir)),
);
const fast = [];
const slow = [];
for (const file of files.sort()) {
  const chain = spawningChain(file);
  if (chain) slow.push({ file, chain });
  else fast.push(file);
}

if (process.argv.includes('--list')) {
  for (const file of fast) console.log(`fast  ${relative(root, file)}`);
  for (const { file, chain } of slow) console.log(`slow  ${relative(root, file)}  (${chain.join(' → ')})`);
  console.log(`${fast.length} fast, ${slow.length} slow`);
  process.exit(0);
}

console.log(`fast lane: ${fast.length} of ${files.length} test files (node scripts/test-fast.mjs --list says why each other one is slow)`);
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const run = spawnSync(vitest, ['run', ...fast.map((file) => relative(root, file))], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
