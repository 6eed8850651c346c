// Checks every published package the way a user meets it: the peer-API rule, publint, attw
// (esm-only), then packs the tarballs, installs them into a scratch project outside the
// workspace with npm, imports every entry with import() and require(), and type-checks each
// package's consumer file (test/consumer.ts) against the published types.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

// publint and attw shell out to `pnpm pack`, but pnpm is never global here: give them a shim that
// runs the workspace's pinned version through npx.
const shimDir = mkdtempSync(join(tmpdir(), 'ogf-pnpm-shim-'));
writeFileSync(join(shimDir, 'pnpm'), `#!/bin/sh\nexec npx -y pnpm@${pnpmVersion} "$@"\n`, { mode: 0o755 });
process.env.PATH = `${shimDir}:${process.env.PATH}`;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

const failures = [];

// 1. @opentelemetry/api must be a peer (and dev) dependency only: two copies give a silent no-op.
for (const { manifest } of packages) {
  if (manifest.dependencies?.['@opentelemetry/api']) {
    failures.push(`${manifest.name}: @opentelemetry/api is a regular dependency; make it a peerDependency`);
  }
  const usesApi = manifest.peerDependencies?.['@opentelemetry/api'];
  if (usesApi && !manifest.devDependencies?.['@opentelemetry/api']) {
    failures.push(`${manifest.name}: @opentelemetry/api is a peer but not a devDependency`);
  }
}
// 2. Dependencies point one way (DESIGN.md rule 1): @ogf/core depends on nothing; leaves depend on
// @ogf/core and no other @ogf package; only the composition layer knows several signals.
const COMPOSITION = new Set(['@ogf/observability']);
for (const { manifest } of packages) {
  const runtime = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
  if (manifest.name === '@ogf/core' && Object.keys(runtime).length > 0) {
    failures.push(`@ogf/core: must have zero dependencies, has ${Object.keys(runtime).join(', ')}`);
  }
  const ours = Object.keys(runtime).filter((name) => name.startsWith('@ogf/') && name !== '@ogf/core');
  if (ours.length > 0 && !COMPOSITION.has(manifest.name)) {
    failures.push(`${manifest.name}: a leaf may depend on @ogf/core only, not ${ours.join(', ')}`);
  }
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'ogf-pack-'));
const tarballs = {};
for (const { dir, manifest } of packages) {
  console.log(`\n== ${manifest.name}`);
  run(bin('publint'), ['--strict'], { cwd: dir });
  const out = execFileSync('pnpm', ['pack', '--pack-destination', scratch], {
    cwd: dir,
    encoding: 'utf8',
  });
  const tarball = out.trim().split('\n').pop().trim();
  tarballs[manifest.name] = tarball;
  run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], { cwd: dir });
}

// A user's project: npm, not pnpm, and nothing from the workspace but the tarballs.
const consumerDir = join(scratch, 'consumer');
run('mkdir', ['-p', consumerDir]);
const overrides = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
writeFileSync(
  join(consumerDir, 'package.json'),
  JSON.stringify(
    {
      name: 'ogf-consumer',
      private: true,
      type: 'module',
      dependencies: { ...overrides, '@opentelemetry/api': '~1.9.0', 'prom-client': '^15.1.3', hono: '^4.13.0', '@hono/node-server': '^1.19.19' },
      devDependencies: { typescript: '~5.9.3', '@types/node': '^20.19.0' },
      overrides,
    },
    null,
    2,
  ),
);
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumerDir });

const entries = packages.flatMap(({ manifest }) =>
  Object.keys(manifest.exports ?? {})
    .filter((sub) => sub !== './package.json')
    .map((sub) => (sub === '.' ? manifest.name : `${manifest.name}/${sub.slice(2)}`)),
);
const importCheck = entries.map((e) => `await import(${JSON.stringify(e)});`).join('\n');
writeFileSync(join(consumerDir, 'import-check.mjs'), `${importCheck}\nconsole.log('import ok: ${entries.length} entries');\n`);
run('node', ['import-check.mjs'], { cwd: consumerDir });
const requireCheck = entries.map((e) => `require(${JSON.stringify(e)});`).join('\n');
writeFileSync(join(consumerDir, 'require-check.cjs'), `${requireCheck}\nconsole.log('require ok: ${entries.length} entries');\n`);
run('node', ['require-check.cjs'], { cwd: consumerDir });

// Each package's own consumer file, type-checked against the published .d.ts files.
const consumerFiles = [];
for (const { dir, manifest } of packages) {
  const file = join(dir, 'test', 'consumer.ts');
  if (!existsSync(file)) continue;
  const target = `${manifest.name.replace('@ogf/', '')}.consumer.ts`;
  copyFileSync(file, join(consumerDir, target));
  consumerFiles.push(target);
}
writeFileSync(
  join(consumerDir, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
      skipLibCheck: false, lib: ['ES2023', 'DOM'], types: ['node'],
    },
    include: ['*.ts'],
  }),
);
if (consumerFiles.length === 0) writeFileSync(join(consumerDir, 'empty.ts'), 'export {};\n');
run(join(consumerDir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: consumerDir });
console.log(`\npackages ok: ${packages.length} packed, installed, imported, type-checked (${consumerFiles.length} consumer files)`);
rmSync(scratch, { recursive: true, force: true });
rmSync(shimDir, { recursive: true, force: true });
