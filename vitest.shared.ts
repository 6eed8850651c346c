import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

// Tests import workspace packages from source, so a change is testable without rebuilding its
// dependents; the packed tarballs are checked separately by scripts/check-packages.mjs.
export const workspaceRoot: string = import.meta.dirname;

export const memberDirs: string[] = ['packages', 'examples', 'tools'].flatMap((group) => {
  const groupDir = join(workspaceRoot, group);
  if (!existsSync(groupDir)) return [];
  return readdirSync(groupDir)
    .map((name) => join(groupDir, name))
    .filter((dir) => existsSync(join(dir, 'package.json')));
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function buildSourceAliases(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  for (const dir of memberDirs) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      exports?: Record<string, unknown>;
    };
    if (!manifest.name.startsWith('@ogf/') || !manifest.exports) continue;
    for (const subpath of Object.keys(manifest.exports)) {
      if (subpath.includes('*') || subpath === './package.json') continue;
      const entry = subpath === '.' ? 'index' : subpath.slice(2);
      const source = join(dir, 'src', `${entry}.ts`);
      if (!existsSync(source)) continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${entry}`;
      aliases.push({ find: new RegExp(`^${escapeRegExp(specifier)}$`), replacement: source });
    }
  }
  return aliases;
}

/** `@ogf/x` and `@ogf/x/sub` resolved to `packages/x/src/{index,sub}.ts`. */
export const ogfSourceAliases: { find: RegExp; replacement: string }[] = buildSourceAliases();

/** The project definition every member uses; a member's own vitest.config.ts may extend it. */
export function ogfProject(dir: string, test: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration {
  return {
    resolve: { alias: ogfSourceAliases },
    test: {
      name: relative(workspaceRoot, dir),
      root: dir,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...test,
    },
  };
}
