// The settlement desk's page (src-settlement/desk), apart from the cashier's UI specs: its own
// folder, one project, Debian's Chromium (tests/harness/chromium.ts). `npm run test:desk`.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/desk',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/desk',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
  projects: [{ name: 'desk-chromium' }],
});
