// A ledger file found damaged by the check after the start (issue #11 item 4, docs/ledger.md
// "Integrity at open"): the checkout and the manager area show a banner that stays, in both
// languages, every payment is refused before a tap with the stable refusal 'ledger_damaged', and
// the file is not changed by any of it.
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { runCliProcess } from '../support/cli-process';
import { expect, MANAGER_PIN, test } from './fixtures';
import { openManager } from './flows';

const DAMAGED_INDEX = 'entries_by_day';

/** Inverts the b-tree page header of the first page of `index`: SQLite's quick_check reports the page. */
function flipIndexPageHeader(ledgerPath: string, index: string): void {
  const db = new Database(ledgerPath, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageno = db.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno LIMIT 1').pluck().get(index) as number;
  db.close();
  const header = Buffer.alloc(8);
  const fd = openSync(ledgerPath, 'r+');
  try {
    readSync(fd, header, 0, header.length, (pageno - 1) * pageSize);
    for (let i = 0; i < header.length; i++) header[i] = (header[i] ?? 0) ^ 0xff;
    writeSync(fd, header, 0, header.length, (pageno - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

/** A demo terminal (China, so the screen starts in Chinese) with two payments, then its ledger damaged. */
async function setUpThenDamage(terminalDir: string): Promise<void> {
  for (const minor of ['1250', '800']) {
    const args = ['charge', '--minor', minor, '--reader', 'stub', '--data-dir', terminalDir];
    const run = await runCliProcess(minor === '1250' ? [...args, '--setup-demo', '--pin', MANAGER_PIN] : args);
    if (run.code !== 0) throw new Error(`charge failed (${run.code}): ${run.stderr}`);
  }
  flipIndexPageHeader(path.join(terminalDir, 'ledger.sqlite'), DAMAGED_INDEX);
}

test.use({ prepareTerminal: { run: setUpThenDamage } });

test('a damaged ledger: a banner that stays, payments refused, nothing changed', async ({ cashier }) => {
  const { page } = cashier;
  const ledgerPath = path.join(cashier.dataDir, 'terminal', 'ledger.sqlite');
  const before = readFileSync(ledgerPath);

  // The check runs after the start; its finding reaches the screen through the appState event.
  const banner = page.getByTestId('ledger-damaged');
  await expect(banner).toBeVisible();
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'zh-CN');
  await expect(banner).toContainText('账本文件已损坏，无法收款。');
  await expect(banner).toContainText('npm run cli -- ledger check');
  await expect(banner).toHaveAttribute('data-file', ledgerPath);
  expect(await cashier.call('appState')).toMatchObject({ ledgerDamaged: ledgerPath });
  await cashier.screenshot('ledger-damaged-zh');

  await page.getByTestId('language-switch').selectOption('en');
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'en');
  await expect(banner).toContainText('The ledger file is damaged. No payments can be taken.');
  await expect(banner).toContainText(ledgerPath);

  // Enter refuses the payment before any tap: no "Present phone", the reason on screen.
  await page.keyboard.type('500');
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', '500');
  await expect(page.getByTestId('charge-button')).toBeDisabled();
  await page.keyboard.press('Enter');
  const refused = page.getByTestId('checkout-error');
  await expect(refused).toHaveAttribute('data-refusal', 'refusal.ledger_damaged');
  await expect(refused).toHaveAttribute('data-code', 'not_available');
  await expect(page.getByTestId('checkout-error-reason')).toHaveText(
    'The ledger file is damaged, so this cannot be done. Call the manager or support.',
  );
  await expect(page.getByTestId('checkout')).toHaveAttribute('data-phase', 'entry');
  expect(await cashier.call('currentPayment')).toBeNull();
  expect(await cashier.callError('startPayment', { amount: 500 })).toMatch(/\[not_available:ledger_damaged\] no payment can be recorded/);
  await cashier.screenshot('ledger-damaged-checkout');
  // Red on pink, read at a counter: no serious or critical WCAG 2.1 A/AA violation in the banner.
  const scan = await new AxeBuilder({ page })
    .include('[data-testid="ledger-damaged"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // The manager area says the same (the day log, read through the damaged index, cannot be shown
  // and says why), and closing the day is refused with the same reason.
  await openManager(cashier);
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('The ledger file is damaged.');
  await expect(page.getByTestId('log-error')).toHaveAttribute('data-refusal', 'refusal.ledger_damaged');
  expect(await cashier.callError('closeDay')).toMatch(/\[not_available:ledger_damaged\] LEDGER_CORRUPT/);
  await cashier.screenshot('ledger-damaged-manager');

  // Still there after a reload of the window: it goes only with a restart on a sound file.
  await page.reload();
  await expect(page.getByTestId('ledger-damaged')).toBeVisible();
  await expect(page.getByTestId('ledger-damaged')).toContainText('The ledger file is damaged.');

  // Nothing was written to the damaged file.
  expect(readFileSync(ledgerPath).equals(before)).toBe(true);
});
