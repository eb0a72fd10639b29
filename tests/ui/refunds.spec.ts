// Refunds in the manager area, in English and in Simplified Chinese: a sale found from the day
// log or by its receipt's transaction id, refunded in parts (one with the customer's tap), a
// refusal past the remainder, the refund receipts and the X report's refund totals.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../harness/build-renderer';
import { expect, test } from './fixtures';
import { approvedSale, openManager } from './flows';

const catalog = (language: string) =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'resources', 'i18n', language, 'ui.json'), 'utf8')) as Record<string, string>;

for (const language of ['en', 'zh-CN'] as const) {
  const ui = catalog(language);
  test(`refunds (${language}): in parts from the log and by receipt id, with a tap, refused past the sale`, async ({ cashier }) => {
    // Two sales' worth of screens and a tap: allow for a machine shared with other test runs.
    test.setTimeout(180_000);
    const { page } = cashier;
    if (language === 'zh-CN') {
      await page.getByTestId('language-switch').selectOption('zh-CN');
      await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'zh-CN');
    }
    const sale = await approvedSale(cashier, '2000');
    await openManager(cashier);

    await test.step('from the day log: part of the sale, with the customer tapping the phone', async () => {
      await page.getByTestId('manager-tab-log').click();
      await page.locator(`[data-testid="log-row"][data-transaction-id="${sale}"]`).getByTestId('refund-button').click();
      await expect(page.getByTestId('refund-sale')).toHaveAttribute('data-remainder', '2000');
      await expect(page.getByTestId('refund-tab')).toContainText(ui['refund.remainder'] as string);
      await page.getByTestId('refund-amount').fill('5');
      await page.getByTestId('refund-reason').fill(language === 'en' ? 'one mug returned' : '退回一个杯子');
      await page.getByTestId('refund-tap').check();
      await page.getByTestId('refund-submit').click();
      await expect(page.getByTestId('refund-waiting-tap')).toBeVisible();
      await cashier.phone.tap('approve');
      await expect(page.getByTestId('refund-done')).toBeVisible();
      await cashier.phone.remove();
      const receipt = page.getByTestId('receipt');
      await expect(receipt).toHaveAttribute('data-status', 'refunded');
      await expect(receipt).toContainText(sale);
      await expect(receipt).toContainText(`*** ${ui['receipt.refunded']} ***`);
      await expect(receipt).toContainText(ui['receipt.accountVerified'] as string);
      await expect(receipt).toContainText(ui['receipt.remainder'] as string);
      await expect(page.getByTestId('refund-sale')).toHaveAttribute('data-remainder', '1500');
      await cashier.screenshot(language === 'en' ? 'refund' : 'refund-zh');
    });

    await test.step('by the receipt id: more than is left is refused, the rest is refunded', async () => {
      await page.getByTestId('manager-tab-refunds').click();
      await page.getByTestId('refund-find').fill(sale.toUpperCase());
      await page.getByTestId('refund-find-button').click();
      await expect(page.getByTestId('refund-sale')).toHaveAttribute('data-remainder', '1500');
      await expect(page.getByTestId('refund-amount')).toHaveValue('15.00');
      await page.getByTestId('refund-amount').fill('15.01');
      await page.getByTestId('refund-submit').click();
      await expect(page.getByTestId('refund-refused')).toHaveAttribute('data-reason', 'over_remainder');
      await expect(page.getByTestId('refund-refused')).toHaveText(ui['refundRefusal.over_remainder'] as string);
      await page.getByTestId('refund-amount').fill('15');
      await page.getByTestId('refund-submit').click();
      await expect(page.getByTestId('refund-done')).toBeVisible();
      await expect(page.getByTestId('refund-sale')).toHaveAttribute('data-remainder', '0');
      await expect(page.getByTestId('refund-form')).toHaveCount(0);
      await expect(page.getByTestId('receipt')).not.toContainText(ui['receipt.accountVerified'] as string);
    });

    await test.step('an unknown id is refused with its reason', async () => {
      await page.getByTestId('refund-find').fill('0'.repeat(32));
      await page.getByTestId('refund-find-button').click();
      await expect(page.getByTestId('refund-refused')).toHaveAttribute('data-reason', 'not_found');
    });

    await test.step('the log and the X report show the refunds', async () => {
      await page.getByTestId('manager-tab-log').click();
      await expect(page.locator('[data-testid="log-row"][data-type="refund"]')).toHaveCount(2);
      await expect(page.locator(`[data-testid="log-row"][data-transaction-id="${sale}"]`).getByTestId('refund-button')).toBeVisible();
      await page.getByTestId('manager-tab-reports').click();
      await page.getByTestId('x-report-button').click();
      await expect(page.getByTestId('report-refunded-count')).toContainText('2');
      const x = await cashier.call('xReport');
      expect(x.counts).toMatchObject({ approved: 1, refunded: 2 });
      expect(x.demoTotals).toEqual([expect.objectContaining({ refundCount: 2, refundTotal: 2000, netTotal: 0 })]);
      await cashier.screenshot(language === 'en' ? 'x-report-refunds' : 'x-report-refunds-zh');
    });
  });
}
