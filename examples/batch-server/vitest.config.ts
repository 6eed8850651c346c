import { defineConfig } from 'vitest/config';
import { ogfProject } from '../../vitest.shared.ts';

// These tests boot the server as a child process (and PostgreSQL); on a busy machine a boot
// alone can take several seconds, so the per-test budget is generous. Not a timing assertion.
export default defineConfig(ogfProject(import.meta.dirname, { testTimeout: 300_000, hookTimeout: 240_000 }));
