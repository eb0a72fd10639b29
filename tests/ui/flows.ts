// Small UI steps the specs share, written against the agreed test ids (docs/ipc.md).
import type { Page } from '@playwright/test';
import { expect, MANAGER_PIN, type CashierDriver } from './fixtures';

/** Types the amount on the keyboard (digits = minor units) and presses Enter. */
export async function charge(page: Page, digits: string): Promise<void> {
  await expect(page.getByTestId('checkout')).toHaveAttribute('data-phase', 'entry');
  await page.keyboard.type(digits);
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', String(Number(digits)));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'present-phone');
}

/** Waits for the decision on screen and returns the transaction id shown. */
export async function decided(page: Page, outcome: 'approved' | 'declined'): Promise<string> {
  await expect(page.getByTestId('decision-banner')).toHaveAttribute('data-outcome', outcome);
  const id = await page.getByTestId('payment-panel').getAttribute('data-transaction-id');
  if (!id) throw new Error('the payment panel shows no transaction id');
  return id;
}

/** After a decision: the screen asks for the phone to be removed, the phone leaves, the request goes. */
export async function liftPhone(cashier: CashierDriver): Promise<void> {
  await expect(cashier.page.getByTestId('remove-phone')).toBeVisible();
  await cashier.phone.remove();
  await expect(cashier.page.getByTestId('remove-phone')).toHaveCount(0);
}

/** Back from a decision to the sale screen (Enter, like the cashier). */
export async function dismiss(page: Page): Promise<void> {
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout')).toHaveAttribute('data-phase', 'entry');
}

/** Opens the manager area through the PIN screen. */
export async function openManager(cashier: CashierDriver, pin = MANAGER_PIN): Promise<void> {
  const { page } = cashier;
  await page.getByTestId('open-manager').click();
  await expect(page.getByTestId('pin-dialog')).toBeVisible();
  await page.getByTestId('pin-input').fill(pin);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('manager')).toBeVisible();
}

/** One approved sale through the contract's simulated phone; returns its transaction id. */
export async function approvedSale(cashier: CashierDriver, digits: string): Promise<string> {
  await charge(cashier.page, digits);
  await cashier.phone.tap('approve');
  const id = await decided(cashier.page, 'approved');
  await liftPhone(cashier);
  await dismiss(cashier.page);
  return id;
}
