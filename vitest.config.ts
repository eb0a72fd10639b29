import { defineConfig } from 'vitest/config';

// Test files that share the machine's one pcscd and its virtual readers (fixed vpcd ports).
const PCSCD_FILES = ['tests/integration/reader/**/*.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'test-results/unit-junit.xml' },
    projects: [
      {
        extends: true,
        test: {
          // Every other file owns what it uses (temporary folders, port 0): files run in parallel.
          name: 'parallel',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: PCSCD_FILES,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          // One file at a time, after the parallel files, each holding /tmp/pcscd.lock so that
          // runs from other checkouts wait for it too (tests/support/pcscd-lock.ts).
          name: 'pcscd',
          include: PCSCD_FILES,
          fileParallelism: false,
          setupFiles: ['tests/support/pcscd-lock-setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
