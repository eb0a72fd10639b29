// The settlement desk's read-only page in Debian's Chromium against the real service: the token
// gate, every finding kind of the demo with its evidence, each terminal's last day and chain
// head, and a merchant's statement. Screenshots go to test-results/screenshots/desk-*.png, and to
// docs/screenshots/ only with CASHIER_SCREENSHOTS=docs (so a test run leaves git status clean).
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import { launchChromium, type LaunchedChromium } from '../harness/chromium';
import { REPO_ROOT } from '../harness/build-renderer';
import type * as DeskWorldModule from './desk-world';
import type { DeskWorld } from './desk-world';

const SHOTS =
  process.env.CASHIER_SCREENSHOTS === 'docs'
    ? path.join(REPO_ROOT, 'docs', 'screenshots')
    : path.join(REPO_ROOT, 'test-results', 'screenshots');
let world: DeskWorld;
let browser: LaunchedChromium;

test.beforeAll(async () => {
  const module = (await tsImport('./desk-world.ts', import.meta.url)) as typeof DeskWorldModule;
  world = await module.startDeskWorld();
  browser = await launchChromium({ headless: true, viewport: { width: 1400, height: 900 } });
});

test.afterAll(async () => {
  await browser?.close();
  await world?.close();
});

test('the desk opens only with the operator token, then shows findings, evidence, terminals and statements', async () => {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(world.url);
  await expect(page).toHaveURL(/\/desk\/$/);

  // A wrong token is refused with the service's code; nothing is shown.
  await page.getByTestId('desk-token').fill('not-the-token-0123456789');
  await page.getByTestId('desk-token-submit').click();
  await expect(page.getByTestId('desk-problem')).toContainText('UNAUTHORIZED');
  await expect(page.getByTestId('desk-findings')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'desk-token.png') });
  errors.length = 0; // the 401 above is logged by the browser on purpose

  await page.getByTestId('desk-token').fill(world.token);
  await page.getByTestId('desk-token-submit').click();
  const findings = page.getByTestId('desk-findings');
  await expect(findings).toBeVisible();
  for (const kind of [
    'counter_reuse',
    'offline_limit_exceeded',
    'ledger_fork',
    'ledger_gap',
    'revoked_license_approved',
    'expired_license_approved',
  ]) {
    await expect(page.locator(`[data-testid="desk-finding"][data-kind="${kind}"]`).first(), kind).toBeVisible();
  }
  await page.locator('[data-testid="desk-finding"][data-kind="counter_reuse"]').first().getByTestId('desk-finding-open').click();
  const evidence = page.getByTestId('desk-evidence-json');
  await expect(evidence).toContainText('"kind": "counter_reuse"');
  const parsed = JSON.parse((await evidence.textContent()) ?? '{}') as { kind?: string };
  expect(parsed.kind).toBe('counter_reuse');
  await page.screenshot({ path: path.join(SHOTS, 'desk-findings.png'), fullPage: true });

  await page.getByTestId('desk-tab-terminals').click();
  const rows = page.getByTestId('desk-terminal');
  await expect(rows).toHaveCount(world.terminals.length);
  await expect(page.locator('[data-testid="desk-terminal"][data-terminal="T-A"]')).toHaveAttribute('data-last-day', '2026-11-25');
  await expect(page.locator('[data-testid="desk-terminal"][data-terminal="T-B"]')).toHaveAttribute('data-last-day', '2026-11-24');
  await expect(page.locator('[data-testid="desk-terminal"][data-terminal="T-A"]')).toHaveAttribute('data-chain-head', /^[0-9a-f]{64}$/);
  await page.screenshot({ path: path.join(SHOTS, 'desk-terminals.png') });

  await page.getByTestId('desk-tab-statements').click();
  await page.getByTestId('desk-statement-merchant').fill('M-100');
  await page.getByTestId('desk-statement-date').fill('2026-11-23');
  await page.getByTestId('desk-statement-show').click();
  const statement = page.getByTestId('desk-statement');
  await expect(statement).toHaveAttribute('data-merchant', 'M-100');
  await expect(statement.getByTestId('desk-statement-row')).toHaveCount(3);
  const download = page.waitForEvent('download');
  await page.getByTestId('desk-statement-csv').click();
  expect((await download).suggestedFilename()).toBe('statement-M-100-2026-11-23.csv');
  await page.getByTestId('desk-account').fill('demo-account-0002');
  await page.getByTestId('desk-account-from').fill('2026-11-01');
  await page.getByTestId('desk-account-to').fill('2026-12-01');
  await page.getByTestId('desk-account-show').click();
  const account = page.getByTestId('desk-account-statement');
  await expect(account).toBeVisible();
  // Nine approvals and the two refunds (one of a sale of an earlier day), then the net.
  await expect(account.locator('tr[data-kind="approval"]')).toHaveCount(9);
  await expect(account.locator('tr[data-kind="refund"]')).toHaveCount(2);
  await expect(account.locator('tr[data-kind="refund"]').last()).toContainText('-10.00 CNY');
  await expect(account.getByTestId('desk-account-total')).toContainText('2 refunds 15.00 CNY');
  const accountCsv = page.waitForEvent('download');
  await page.getByTestId('desk-account-csv').click();
  expect((await accountCsv).suggestedFilename()).toBe('account-demo-account-0002-2026-11-01-2026-12-01.csv');
  await page.screenshot({ path: path.join(SHOTS, 'desk-statements.png'), fullPage: true });

  expect(errors).toEqual([]);
});
