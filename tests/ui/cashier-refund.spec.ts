// Issue 13: a refund at the checkout, in English and in Simplified Chinese, by keyboard: F4, the
// receipt's QR text scanned (typed) or its transaction id, within the cashier allowance with the
// customer's tap, above it with the manager PIN (a wrong one refused), Esc back to the sale.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../harness/build-renderer';
import { expect, MANAGER_PIN, test } from './fixtures';
import { approvedSale } from './flows';

const catalog = (language: string) =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'resources', 'i18n', language, 'ui.json'), 'utf8')) as Record<string, string>;

for (const language of ['en', 'zh-CN'] as const) {
  const ui = catalog(language);
  test(`cashier refund (${language}): by receipt code within the allowance with a tap, above it with the manager PIN`, async ({
    cashier,
  }) => {
    test.setTimeout(180_000);
    const { page } = cashier;
    await cashier.unlockManager();
    await cashier.call('updateSettings', { cashierRefundLimit: 500 });
    await cashier.call('lockManager');
    if (language === 'zh-CN') {
      await page.getByTestId('language-switch').selectOption('zh-CN');
      await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'zh-CN');
    }
    const sale = await approvedSale(cashier, '2000');
    const code = (await cashier.call('lastReceipt'))?.code;
    expect(code).toContain(sale);

    await test.step('F4, the receipt code scanned: 3.00 within the allowance, the customer taps', async () => {
      await expect(page.getByTestId('key-hints')).toContainText(ui['hint.refund'] as string);
      await page.keyboard.press('F4');
      const dialog = page.getByTestId('cashier-refund');
      await expect(dialog).toBeVisible();
      await expect(dialog.getByRole('heading')).toHaveText(ui['cashierRefund.title'] as string);
      await expect(page.getByTestId('refund-find')).toBeFocused();
      await page.keyboard.type(code ?? '');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('refund-sale')).toHaveAttribute('data-remainder', '2000');
      await expect(page.getByTestId('refund-allowance')).toBeVisible();
      // The amount has the keyboard, its text selected: typing replaces it.
      await expect(page.getByTestId('refund-amount')).toBeFocused();
      await page.keyboard.type('3');
      await expect(page.getByTestId('refund-pin')).toHaveCount(0);
      await page.keyboard.press('Tab');
      await page.keyboard.type(language === 'en' ? 'wrong size' : '尺码不对');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await expect(page.getByTestId('refund-tap')).toBeChecked();
      await page.keyboard.press('Tab');
      await expect(page.getByTestId('refund-submit')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('refund-waiting-tap')).toBeVisible();
      await cashier.phone.tap('approve');
      await expect(page.getByTestId('refund-done')).toBeVisible();
      // The receipt is in view with Print focused: Enter prints it.
      await expect(page.getByTestId('refund-print')).toBeFocused();
      await cashier.phone.remove();
      const receipt = page.getByTestId('receipt');
      await expect(receipt).toHaveAttribute('data-status', 'refunded');
      await expect(receipt).toContainText(ui['receipt.accountVerified'] as string);
      await expect(page.getByTestId('refund-sale')).toHaveAttribute('data-remainder', '1700');
      await cashier.screenshot(language === 'en' ? 'cashier-refund' : 'cashier-refund-zh');
    });

    await test.step('by the transaction id: 10.00 is over the allowance, a wrong PIN is refused, the right one refunds', async () => {
      await page.getByTestId('refund-find').fill(sale);
      await page.getByTestId('refund-find').press('Enter');
      await expect(page.getByTestId('refund-amount')).toBeFocused();
      await page.keyboard.type('10');
      const pin = page.getByTestId('refund-pin');
      await expect(pin).toBeVisible();
      await expect(page.getByTestId('refund-submit')).toBeDisabled();
      await pin.fill('000000'.slice(0, MANAGER_PIN.length));
      await pin.press('Enter');
      await expect(page.getByTestId('refund-refused')).toHaveAttribute('data-reason', 'wrong_pin');
      await expect(page.getByTestId('refund-refused')).toHaveText(ui['refundRefusal.wrong_pin'] as string);
      await expect(pin).toHaveValue('');
      await pin.fill(MANAGER_PIN);
      await pin.press('Enter');
      await expect(page.getByTestId('refund-done')).toBeVisible();
      await expect(page.getByTestId('refund-sale')).toHaveAttribute('data-remainder', '700');
    });

    await test.step('more than is left is refused with its reason; Esc goes back to the sale', async () => {
      await page.getByTestId('refund-amount').fill('8');
      await page.getByTestId('refund-pin').fill(MANAGER_PIN);
      await page.getByTestId('refund-pin').press('Enter');
      await expect(page.getByTestId('refund-refused')).toHaveAttribute('data-reason', 'over_remainder');
      await expect(page.getByTestId('refund-refused')).toHaveText(ui['refundRefusal.over_remainder'] as string);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('cashier-refund')).toHaveCount(0);
      await expect(page.getByTestId('amount-display')).toBeFocused();
      await page.keyboard.type('5');
      await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', '5');
    });

    await test.step("the ledger holds both refunds: the cashier's and the manager's", async () => {
      const found = await cashier.call('findSaleForRefund', { text: sale });
      expect(found.ok && found.sale.refunds.map((r) => [r.amount, r.authorisedBy])).toEqual([
        [300, 'cashier'],
        [1000, 'manager'],
      ]);
    });
  });
}
