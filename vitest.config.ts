import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { memberDirs, ogfProject } from './vitest.shared.ts';

// A member with special needs (timeouts, serial files) keeps its own vitest.config.ts built on
// ogfProject(); every other member gets the shared defaults.
export default defineConfig({
  test: {
    // Names the run in every test process's environment; at the end, fails the run if any process
    // the tests started is still alive (tools/testkit/src/leak-check.ts).
    globalSetup: [join(import.meta.dirname, 'tools/testkit/src/leak-check.ts')],
    // Deliberately the default: an error thrown outside a test (a client that hears its server
    // stop, a timer firing after teardown) fails the run even when every test passed. Fix the
    // cause; never set dangerouslyIgnoreUnhandledErrors.
    projects: memberDirs.map((dir) => {
      const ownConfig = join(dir, 'vitest.config.ts');
      return existsSync(ownConfig) ? ownConfig : ogfProject(dir);
    }),
  },
});
