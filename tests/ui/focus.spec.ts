// Issue 14, item 4: the live region says only the status line and the cashier's next action;
// the keyboard is always on a sensible control; form problems are tied to their fields.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { charge, decided, liftPhone } from './flows';

async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (
      globalThis as unknown as { document: { activeElement: { tagName: string; getAttribute(n: string): string | null } | null } }
    ).document.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `#${el.getAttribute('data-testid')}` : ''}` : 'none';
  });
}

test('payment: the live region is short, and focus sits on the next action', async ({ cashier }) => {
  const { page } = cashier;
  const live = page.locator('[aria-live="assertive"], [role="status"][aria-live]').filter({ has: page.locator(':scope') });
  await charge(page, '1234');
  expect(await focused(page)).toBe('button#cancel-payment');
  await cashier.phone.tap('approve');
  await decided(page, 'approved');
  const announcement = page.getByTestId('payment-announcement');
  await expect(announcement).toHaveText('Approved. Remove phone');
  // No other assertive region repeats the whole card (steps, buttons, receipt).
  for (const text of await live.allInnerTexts()) expect(text.length).toBeLessThan(120);
  await liftPhone(cashier);
  await expect(announcement).toHaveText('Approved. Enter starts the next sale');
  expect(await focused(page)).toBe('button#new-sale-button');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout')).toHaveAttribute('data-phase', 'entry');
  expect(await focused(page)).toBe('div#amount-display');

  await charge(page, '1500');
  await cashier.phone.tap('expired-license');
  await decided(page, 'declined');
  await liftPhone(cashier);
  const text = await announcement.innerText();
  expect(text.startsWith('Declined.')).toBe(true);
  expect(text.length).toBeLessThan(200);
  expect(await focused(page)).toBe('button#back-to-sale');
});

test.describe('first run', () => {
  test.use({ setUpTerminal: false });
  test('the wizard keeps focus on a control on every step, and ties problems to their fields', async ({ cashier }) => {
    const { page } = cashier;
    await expect(page.getByTestId('wizard')).toHaveAttribute('data-step', 'country');
    await page.getByTestId('wizard-next').click();
    expect(await focused(page)).toBe('input#wizard-merchant-id');
    await page.getByTestId('wizard-merchant-id').fill('has space');
    await page.getByTestId('wizard-next').click();
    const id = page.getByTestId('wizard-merchant-id');
    await expect(id).toHaveAttribute('aria-invalid', 'true');
    await expect(id).toHaveAttribute('aria-describedby', 'wizard-problem');
    await expect(page.locator('#wizard-problem')).toHaveAttribute('data-problem', 'validate.merchantId');
    await id.fill('M-1');
    await page.getByTestId('wizard-merchant-name').fill('Shop');
    await page.getByTestId('wizard-terminal-id').fill('T-1');
    await page.getByTestId('wizard-next').click();
    expect(await focused(page)).toBe('input#wizard-pin');
    await page.getByTestId('wizard-pin').fill('1234');
    await page.getByTestId('wizard-pin-confirm').fill('1234');
    await page.getByTestId('wizard-next').click();
    await expect(page.locator('#wizard-problem')).toHaveText(/too easy to guess: the digits run in sequence/);
    await expect(page.getByTestId('wizard-pin')).toHaveAttribute('aria-invalid', 'true');
    await page.getByTestId('wizard-pin').fill('2468');
    await page.getByTestId('wizard-pin-confirm').fill('2468');
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('wizard')).toHaveAttribute('data-step', 'trust');
    // Step 4: on its first control, not the page body.
    expect(await focused(page)).not.toBe('body');
    expect(await focused(page)).toMatch(/^(button|textarea|input)/);
  });
});
