// tsc and ESLint resolve `@ogf/*` to sources through tsconfig.base.json's paths, vitest through
// aliases built from the same exports maps: the two must name the same entries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ogfSourceAliases, workspaceRoot } from '../../../vitest.shared.ts';

describe('source resolution', () => {
  it('maps every published entry to its source in tsconfig.base.json, as vitest does', () => {
    const base = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    const fromPaths = Object.entries(base.compilerOptions.paths)
      .map(([specifier, [target]]) => [specifier, join(workspaceRoot, target!)])
      .sort();
    const fromAliases = ogfSourceAliases
      .map(({ find, replacement }) => [find.source.slice(1, -1).replaceAll('\\', ''), replacement])
      .filter(([specifier]) => !specifier!.startsWith('@ogf/testkit'))
      .sort();
    expect(fromPaths).toEqual(fromAliases);
  });
});
