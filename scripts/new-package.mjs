// Scaffolds packages/<name> with the layout STYLE.md asks for. Usage: node scripts/new-package.mjs <name> "<description>"
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = ''] = process.argv.slice(2);
if (!name) throw new Error('usage: node scripts/new-package.mjs <name> "<description>"');
const dir = join(import.meta.dirname, '..', 'packages', name);
if (existsSync(dir)) throw new Error(`packages/${name} already exists`);
mkdirSync(join(dir, 'src'), { recursive: true });
const repositoryUrl = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).repository.url;
const repositoryWeb = repositoryUrl.replace(/^git\+/, '').replace(/\.git$/, '');
const manifest = {
  name: `@ogf/${name}`,
  version: '0.0.0',
  description,
  license: 'MIT',
  repository: { type: 'git', url: repositoryUrl, directory: `packages/${name}` },
  homepage: `${repositoryWeb}/tree/main/packages/${name}#readme`,
  bugs: { url: `${repositoryWeb}/issues` },
  type: 'module',
  sideEffects: false,
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  files: ['dist'],
  engines: { node: '>=20.19.0' },
  publishConfig: { access: 'public', provenance: true },
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
  },
  peerDependencies: { '@opentelemetry/api': '>=1.9.0 <1.10.0' },
  devDependencies: { '@opentelemetry/api': '~1.9.0' },
};
writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(
  join(dir, 'tsconfig.json'),
  `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, types: ['node'] }, include: ['src', 'test', 'bench'] }, null, 2)}\n`,
);
writeFileSync(
  join(dir, 'tsconfig.build.json'),
  `${JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist', isolatedDeclarations: true, types: [] },
      include: ['src'],
      exclude: ['src/**/*.test.ts', 'src/**/*.test-d.ts'],
    },
    null,
    2,
  )}\n`,
);
writeFileSync(join(dir, 'src', 'index.ts'), 'export {};\n');
writeFileSync(join(dir, 'README.md'), `# @ogf/${name}\n\n${description}\n`);
// tsc and ESLint resolve workspace packages to their sources through these paths (builds reset them).
const baseConfig = join(import.meta.dirname, '..', 'tsconfig.base.json');
const base = JSON.parse(readFileSync(baseConfig, 'utf8'));
base.compilerOptions.paths = { ...base.compilerOptions.paths, [`@ogf/${name}`]: [`./packages/${name}/src/index.ts`] };
writeFileSync(baseConfig, `${JSON.stringify(base, null, 2)}\n`);
console.log(`created packages/${name}`);
