// Until the first release the READMEs must say the packages are not on the registry and show the
// install that works (tarballs from a clone); after it, they must stop saying so. A package that was
// never versioned by changesets (0.0.0) counts as unreleased. check-packages.mjs runs the root
// README's `npm i ../ogf/tarballs/*.tgz …` line itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '../../../vitest.shared.ts';

const NOT_PUBLISHED = /not on the npm registry yet/i;

const published = readdirSync(join(workspaceRoot, 'packages'))
  .map((name) => join(workspaceRoot, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean },
  }))
  .filter(({ manifest }) => !manifest.private);

const rootManifest = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  packageManager: string;
};
const rootReadme = readFileSync(join(workspaceRoot, 'README.md'), 'utf8');

describe('install instructions', () => {
  it.each(published.map(({ dir, manifest }) => [manifest.name, dir, manifest.version] as const))(
    '%s: its README says whether it is on the registry, as its version does',
    (_name, dir, version) => {
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const install = readme.split('## Install')[1]?.split('\n## ')[0] ?? '';
      expect(install, 'an ## Install section').not.toBe('');
      if (version === '0.0.0') {
        expect(install).toMatch(NOT_PUBLISHED);
        expect(install).toContain('../../README.md#install');
      } else {
        expect(install).not.toMatch(NOT_PUBLISHED);
      }
    },
  );

  it('the root README shows the tarball install with a script that exists', () => {
    const unreleased = published.some(({ manifest }) => manifest.version === '0.0.0');
    const install = rootReadme.split('## Install')[1]?.split('\n## ')[0] ?? '';
    expect(install).toMatch(unreleased ? NOT_PUBLISHED : /npm i @ogf\//);
    expect(install).toContain(`${rootManifest.packageManager} pack:all`);
    expect(install).toMatch(/^npm i \.\.\/ogf\/tarballs\/\*\.tgz @opentelemetry\/api@~1\.9\.0 /m);
    expect(rootManifest.scripts['pack:all']).toContain('scripts/pack-all.mjs');
    expect(existsSync(join(workspaceRoot, 'scripts', 'pack-all.mjs'))).toBe(true);
  });
});
