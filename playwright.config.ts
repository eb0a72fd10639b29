// One set of UI specs (tests/ui/), run two ways by the `cashier` fixture (tests/ui/fixtures.ts):
// - 'chromium-harness': Debian's Chromium with the main-process services in the test process
//   and the preload's createCashierApi bridged over Playwright bindings (works here);
// - 'electron': the built app through Playwright's _electron (skipped, with the reason, where
//   the Electron binary is not installed).
import { defineConfig } from '@playwright/test';
import type { CashierMode } from './tests/ui/fixtures';

export default defineConfig<{ cashierMode: CashierMode }>({
  testDir: 'tests/ui',
  testMatch: '*.spec.ts',
  globalSetup: './tests/ui/global-setup.ts',
  outputDir: 'test-results/ui',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
  projects: [
    { name: 'chromium-harness', use: { cashierMode: 'harness' } },
    { name: 'electron', use: { cashierMode: 'electron' } },
  ],
});
