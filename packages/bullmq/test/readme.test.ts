// The README's quick start is test/readme-quickstart.ts (type-checked with the package): they must not drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('shows the quick start that the type-checked test/readme-quickstart.ts holds', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const snippet = /## Quick start[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  const file = readFileSync(join(import.meta.dirname, 'readme-quickstart.ts'), 'utf8')
    .split('\n')
    .slice(1)
    .join('\n');
  expect(snippet).toBe(file);
});
