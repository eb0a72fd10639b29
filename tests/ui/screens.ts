// A tour of every screen the app shows, for checks that must hold on all of them (the
// accessibility scan, touch targets, window sizes). `visit` is called on each screen, named.
import { expect, MANAGER_PIN, type CashierDriver } from './fixtures';
import { approvedSale, charge, decided, dismiss, liftPhone } from './flows';

export type Visit = (screen: string) => Promise<void>;
export type Language = 'en' | 'zh-CN';

async function setLanguage(cashier: CashierDriver, language: Language): Promise<void> {
  await cashier.call('setLanguage', { language });
  await expect(cashier.page.getByTestId('app')).toHaveAttribute('data-language', language);
}

/** The first-run wizard, step by step (the terminal must not be set up yet). */
export async function tourWizard(cashier: CashierDriver, language: Language, visit: Visit): Promise<void> {
  const { page } = cashier;
  await setLanguage(cashier, language);
  const wizard = page.getByTestId('wizard');
  await expect(wizard).toHaveAttribute('data-step', 'country');
  await visit('wizard-country');
  await page.getByTestId('wizard-next').click();
  await expect(wizard).toHaveAttribute('data-step', 'merchant');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-error')).toBeVisible();
  await visit('wizard-merchant-error');
  await page.getByTestId('wizard-merchant-id').fill('M-1001');
  await page.getByTestId('wizard-merchant-name').fill('Corner Store');
  await page.getByTestId('wizard-terminal-id').fill('T-01');
  await page.getByTestId('wizard-next').click();
  await expect(wizard).toHaveAttribute('data-step', 'pin');
  await visit('wizard-pin');
  await page.getByTestId('wizard-pin').fill(MANAGER_PIN);
  await page.getByTestId('wizard-pin-confirm').fill(MANAGER_PIN);
  await page.getByTestId('wizard-next').click();
  await expect(wizard).toHaveAttribute('data-step', 'trust');
  await page.getByTestId('wizard-trust-demo').click();
  await visit('wizard-trust');
  await page.getByTestId('wizard-next').click();
  await expect(wizard).toHaveAttribute('data-step', 'review');
  await visit('wizard-review');
}

/** Checkout and payment screens, then the manager area with its tabs and dialogs. */
export async function tourApp(cashier: CashierDriver, language: Language, visit: Visit): Promise<void> {
  const { page } = cashier;
  await setLanguage(cashier, language);
  await page.keyboard.type('2');
  await page.keyboard.press('*');
  await page.keyboard.type('120');
  await page.keyboard.press('+');
  await visit('checkout-items');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  await charge(page, '1234');
  await visit('present-phone');
  await cashier.phone.tap('approve');
  await decided(page, 'approved');
  await visit('approved');
  await liftPhone(cashier);
  await dismiss(page);

  await charge(page, '1500');
  await cashier.phone.tap('expired-license');
  await decided(page, 'declined');
  await visit('declined');
  await liftPhone(cashier);
  await dismiss(page);
  await page.keyboard.press('Escape');
  const sale = await approvedSale(cashier, '990');

  // The cashier's refund (F4): no allowance is set, so the manager PIN field is asked for.
  await page.keyboard.press('F4');
  await expect(page.getByTestId('cashier-refund')).toBeVisible();
  await visit('cashier-refund');
  await page.keyboard.type(sale);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('refund-pin')).toBeVisible();
  await visit('cashier-refund-sale');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('cashier-refund')).toHaveCount(0);

  await page.getByTestId('open-manager').click();
  await expect(page.getByTestId('pin-dialog')).toBeVisible();
  await visit('pin');
  await page.getByTestId('pin-input').fill(MANAGER_PIN);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('manager')).toBeVisible();

  await page.getByTestId('manager-tab-log').click();
  await expect(page.getByTestId('log-row').first()).toBeVisible();
  await visit('manager-log');
  await page.getByTestId('receipt-button').first().click();
  await expect(page.getByTestId('receipt-dialog')).toBeVisible();
  await visit('receipt-dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('receipt-dialog')).toHaveCount(0);
  await page.getByTestId('void-button').first().click();
  await visit('void-dialog');
  await page.keyboard.press('Escape');

  await page.getByTestId('manager-tab-refunds').click();
  await page.getByTestId('refund-find').fill(sale);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('refund-form')).toBeVisible();
  await visit('manager-refunds');

  await page.getByTestId('manager-tab-reports').click();
  await page.getByTestId('x-report-button').click();
  await expect(page.getByTestId('report')).toBeVisible();
  await visit('manager-reports');

  await page.getByTestId('manager-tab-export').click();
  await visit('manager-export');

  await page.getByTestId('manager-tab-settings').click();
  await expect(page.getByTestId('settings-tab')).toBeVisible();
  await visit('manager-settings');
  await page.getByTestId('settings-country').selectOption('CN');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('day-change-dialog')).toBeVisible();
  await visit('day-change-dialog');
  await page.getByTestId('day-change-dialog-cancel').click();

  await page.getByTestId('manager-tab-trust').click();
  await expect(page.getByTestId('trust-row').first()).toBeVisible();
  await visit('manager-trust');
}
