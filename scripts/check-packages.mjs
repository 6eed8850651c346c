// Checks every published package the way a user meets it: the peer-API rule, publint, attw
// (esm-only), then packs the tarballs (scripts/pack-all.mjs), installs them into a scratch project
// outside the workspace with npm and the root README's install line, imports every entry with import() and require(), and type-checks each
// package's consumer file (test/consumer.ts) against the published types.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, publishedPackages } from './pack-all.mjs';

const root = join(import.meta.dirname, '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

// publint and attw shell out to `pnpm pack`, but pnpm is never global here: give them a shim that
// runs the workspace's pinned version through npx.
const shimDir = mkdtempSync(join(tmpdir(), 'ogf-pnpm-shim-'));
writeFileSync(join(shimDir, 'pnpm'), `#!/bin/sh\nexec npx -y pnpm@${pnpmVersion} "$@"\n`, { mode: 0o755 });
process.env.PATH = `${shimDir}:${process.env.PATH}`;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });

const packages = publishedPackages();

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
const COMPOSITION = new Set(['@ogf/observability', '@ogf/bullmq']);
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
// 3. Release metadata (RELEASING.md): one repository for all, each package's own directory in it,
// and provenance, which npm only grants when the repository matches the one that built the release.
const rootRepository = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).repository?.url;
for (const { dir, manifest } of packages) {
  const directory = dir.slice(root.length + 1);
  if (!rootRepository || manifest.repository?.url !== rootRepository || manifest.repository?.directory !== directory) {
    failures.push(`${manifest.name}: repository must be { url: ${rootRepository} (the root's), directory: ${directory} }`);
  }
  if (!manifest.homepage) failures.push(`${manifest.name}: no homepage`);
  if (manifest.publishConfig?.provenance !== true || manifest.publishConfig?.access !== 'public') {
    failures.push(`${manifest.name}: publishConfig must be { access: 'public', provenance: true }`);
  }
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'ogf-pack-'));
for (const { dir, manifest } of packages) {
  console.log(`\n== ${manifest.name}`);
  run(bin('publint'), ['--strict'], { cwd: dir });
}
// The tarballs the README tells users to install (scripts/pack-all.mjs, `pnpm pack:all`).
const tarballs = packAll(join(scratch, 'tarballs'));
for (const { dir, manifest } of packages) {
  run(bin('attw'), [tarballs[manifest.name], '--profile', 'esm-only', '--format', 'table-flipped'], { cwd: dir });
}

// A user's project: npm, not pnpm, nothing from the workspace but the tarballs, installed with the
// root README's own install line (its peers included), plus what the consumer files use.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const INSTALL_LINE = /^npm i \.\.\/ogf\/tarballs\/\*\.tgz (.+)$/m;
const installLine = INSTALL_LINE.exec(readme);
if (!installLine) {
  console.error('README.md: no `npm i ../ogf/tarballs/*.tgz <peers>` line in its Install section');
  process.exit(1);
}
const peers = installLine[1].trim().split(/\s+/);
const consumerDir = join(scratch, 'consumer');
run('mkdir', ['-p', consumerDir]);
writeFileSync(
  join(consumerDir, 'package.json'),
  JSON.stringify(
    {
      name: 'ogf-consumer',
      private: true,
      type: 'module',
      devDependencies: { typescript: '~5.9.3', '@types/node': '^20.19.0' },
    },
    null,
    2,
  ),
);
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...Object.values(tarballs), ...peers, 'prom-client@^15.1.3'], {
  cwd: consumerDir,
});

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
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      lib: ['ES2023', 'DOM'],
      types: ['node'],
    },
    include: ['*.ts'],
  }),
);
if (consumerFiles.length === 0) writeFileSync(join(consumerDir, 'empty.ts'), 'export {};\n');
run(join(consumerDir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: consumerDir });
console.log(`\npackages ok: ${packages.length} packed, installed, imported, type-checked (${consumerFiles.length} consumer files)`);
rmSync(scratch, { recursive: true, force: true });
rmSync(shimDir, { recursive: true, force: true });
