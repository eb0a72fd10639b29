// Issue 14, item 8: a payment cancelled before any tap has no receipt; the void reason is in the
// day log; a void receipt printed for the first time is not marked REPRINT.
import { expect, test } from './fixtures';
import { approvedSale, charge, decided, liftPhone, openManager } from './flows';

test('a payment cancelled before any tap shows no receipt and records nothing', async ({ cashier }) => {
  const { page } = cashier;
  await charge(page, '500');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'cancelled');
  await expect(page.getByTestId('receipt')).toHaveCount(0);
  await expect(page.getByTestId('print-receipt')).toHaveCount(0);
  await page.keyboard.press('p');
  expect(cashier.printed()).toHaveLength(0);
  await cashier.unlockManager();
  expect((await cashier.call('listLog')).entries).toEqual([]);

  // A decided tap still has its receipt.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await cashier.phone.tap('expired-license');
  await decided(page, 'declined');
  await expect(page.getByTestId('receipt')).toBeVisible();
  await liftPhone(cashier);
});

test('the void reason is in the day log; the void receipt prints the first time without REPRINT', async ({ cashier }) => {
  const { page } = cashier;
  const sale = await approvedSale(cashier, '2500');
  await openManager(cashier);
  await page.getByTestId('manager-tab-log').click();
  await page.locator(`[data-testid="log-row"][data-transaction-id="${sale}"]`).getByTestId('void-button').click();
  await page.getByTestId('void-reason').fill('customer changed their mind');
  await page.getByTestId('void-confirm').click();
  await expect(page.getByTestId('void-result')).toBeVisible();
  const voidRow = page.locator('[data-testid="log-row"][data-type="void"]');
  await expect(voidRow.getByTestId('log-void-reason')).toHaveText('Void: customer changed their mind');

  await page.getByTestId('void-print').click();
  await expect(page.getByTestId('void-print-result')).toBeVisible();
  const printed = cashier.printed();
  expect(printed).toHaveLength(1);
  const text = printed[0]?.lines.join('\n') ?? '';
  expect(text).toContain('VOID');
  expect(text).not.toContain('REPRINT');
});
