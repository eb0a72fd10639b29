// Every decline the simulated phone can produce (the wallet's scenario catalogue, read through
// the contract) is shown to the cashier with its reason's message from the translation file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { REPO_ROOT } from '../harness/build-renderer';
import { expect, test, type CashierDriver } from './fixtures';

const MESSAGES = JSON.parse(readFileSync(path.join(REPO_ROOT, 'resources/i18n/en/reasons.json'), 'utf8')) as Record<
  string,
  { message: string }
>;

/** Taps that do not end the sale: the screen says why and keeps waiting for another tap. */
const RETRY_REASONS = new Set(['see_phone', 'not_payment_phone', 'multiple_cards']);

const SCREENSHOTS: Record<string, string> = { 'expired-license': 'declined', locked: 'see-phone' };

async function backToSale(cashier: CashierDriver, page: Page): Promise<void> {
  await cashier.phone.remove();
  const current = await cashier.call('currentPayment');
  if (current && !current.decision) await cashier.call('cancelPayment');
  for (let i = 0; i < 3 && (await page.getByTestId('checkout').getAttribute('data-phase')) !== 'entry'; i += 1) {
    await page.keyboard.press('Escape');
  }
  await expect(page.getByTestId('checkout')).toHaveAttribute('data-phase', 'entry');
}

test('every decline is shown with its cashier message', async ({ cashier }) => {
  test.setTimeout(600_000);
  const { page } = cashier;
  const declines = (await cashier.phone.scenarios()).filter((s) => s.expect === 'declined');
  expect(declines.length).toBeGreaterThan(25);
  let finalDeclines = 0;
  const failedTaps = new Set<string>();

  await page.keyboard.type('1500');
  for (const scenario of declines) {
    const reason = scenario.reason ?? '';
    await test.step(`${scenario.name} -> ${reason}`, async () => {
      const message = MESSAGES[reason]?.message;
      expect(message, `resources/i18n/en/reasons.json has a message for ${reason}`).toBeTruthy();
      await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', '1500');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'present-phone');
      const tapError = await cashier.phone.tap(scenario.name).then(
        () => undefined,
        (error: unknown) => (error as Error).message,
      );
      expect.soft(tapError, `${scenario.name}: the simulated phone taps`).toBeUndefined();
      if (tapError) {
        failedTaps.add(scenario.name);
        await backToSale(cashier, page);
        return;
      }

      if (RETRY_REASONS.has(reason)) {
        // The sale stays open; the screen shows the reason and keeps waiting.
        const shown =
          reason === 'see_phone'
            ? page.locator('[data-testid="payment-stage"][data-stage="see-phone"]')
            : page.locator(`[data-testid="payment-notice"][data-reason="${reason}"]`);
        await expect.soft(shown, `${scenario.name}: notice ${reason} on screen`).toContainText(message ?? '');
        const current = await cashier.call('currentPayment');
        expect.soft(current?.notice, `${scenario.name}: main keeps the sale open with notice ${reason}`).toBe(reason);
        expect.soft(current?.decision).toBeUndefined();
      } else {
        finalDeclines += 1;
        await expect.soft(page.getByTestId('decision-banner'), `${scenario.name}: declined`).toHaveAttribute('data-outcome', 'declined');
        const shown = page.getByTestId('decline-reason');
        await expect.soft(shown, `${scenario.name}: reason code`).toHaveAttribute('data-reason', reason);
        await expect.soft(shown, `${scenario.name}: cashier message`).toContainText(message ?? '');
      }
      const shot = SCREENSHOTS[scenario.name];
      if (shot) await cashier.screenshot(shot);
      await backToSale(cashier, page);
    });
  }

  // Every final decline is in the ledger with its reason; the retries recorded nothing.
  await cashier.unlockManager();
  const log = await cashier.call('listLog', { status: 'declined', limit: 500 });
  expect(log.total).toBe(finalDeclines);
  const recordedReasons = new Set(log.entries.map((e) => e.reason));
  for (const scenario of declines) {
    if (!RETRY_REASONS.has(scenario.reason ?? '') && !failedTaps.has(scenario.name))
      expect.soft(recordedReasons, scenario.name).toContain(scenario.reason);
  }
});
