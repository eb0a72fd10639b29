// Issue 14, item 1: reports never break. The day's totals add up many attempts, so they are not
// bounded by the one-sale maximum; the keypad says when it stops taking digits.
import { expect, test } from './fixtures';
import { charge, decided, dismiss, liftPhone, openManager } from './flows';

const LARGEST = '99999999999';

test('a declined tap of the largest amount plus another decline: X and Z reports still show', async ({ cashier }) => {
  const { page } = cashier;
  for (const digits of [LARGEST, '1500']) {
    await charge(page, digits);
    await cashier.phone.tap('expired-license');
    await decided(page, 'declined');
    await liftPhone(cashier);
    await dismiss(page);
    await page.keyboard.press('Escape');
  }

  await openManager(cashier);
  await page.getByTestId('manager-tab-reports').click();
  await page.getByTestId('x-report-button').click();
  const report = page.getByTestId('report');
  await expect(report).toHaveAttribute('data-kind', 'X');
  await expect(page.getByTestId('report-error')).toHaveCount(0);
  await expect(page.getByTestId('report-demo-totals')).toContainText('1,000,000,014.99');

  await page.getByTestId('z-report-button').click();
  await page.getByTestId('z-confirm').click();
  await expect(report).toHaveAttribute('data-kind', 'Z');
  await expect(page.getByTestId('report-error')).toHaveCount(0);
  const closed = (await report.getAttribute('data-business-date')) ?? '';

  // The closed day's Z report can be shown again.
  const again = await cashier.call('zReport', { businessDate: closed });
  expect(again.demoTotals[0]?.declinedTotal).toBe(100_000_001_499);
});

test('the keypad says so when it stops taking digits at the largest amount', async ({ cashier }) => {
  const { page } = cashier;
  await page.keyboard.type(LARGEST);
  await expect(page.getByTestId('amount-capped')).toHaveCount(0);
  await page.keyboard.type('9');
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', LARGEST);
  await expect(page.getByTestId('amount-capped')).toContainText('999,999,999.99 is the largest amount');
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('amount-capped')).toHaveCount(0);
});
