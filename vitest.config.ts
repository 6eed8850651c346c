import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { memberDirs, ogfProject } from './vitest.shared.ts';

// A member with special needs (timeouts, serial files) keeps its own vitest.config.ts built on
// ogfProject(); every other member gets the shared defaults.
export default defineConfig({
  test: {
    projects: memberDirs.map((dir) => {
      const ownConfig = join(dir, 'vitest.config.ts');
      return existsSync(ownConfig) ? ownConfig : ogfProject(dir);
    }),
  },
});
