// Issue 14, item 2: every window size. At 1024x768 and up each primary action is on screen
// without scrolling; at 800x600 everything is reachable and nothing is clipped; dialogs taller
// than the window scroll inside themselves; at 1920x1080 the amount and status grow.
import type { Locator, Page } from '@playwright/test';
import { expect, test, type CashierDriver } from './fixtures';
import { approvedSale, charge, decided, liftPhone, openManager } from './flows';

const SIZES = [
  { width: 800, height: 600 },
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/** The computed font size of an element, in CSS pixels. */
function fontSize(node: unknown): number {
  const view = globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } };
  return parseFloat(view.getComputedStyle(node).fontSize);
}

/** On screen without scrolling (large windows), or reachable by scrolling (800x600). */
async function shown(target: Locator, small: boolean): Promise<void> {
  if (small) await target.scrollIntoViewIfNeeded();
  await expect(target).toBeInViewport({ ratio: 1 });
}

async function notClipped(page: Page, testId: string): Promise<void> {
  const el = page.getByTestId(testId);
  await expect(el).toBeInViewport({ ratio: 1 });
  const clipped = await el.evaluate((node) => {
    const e = node as unknown as { scrollWidth: number; clientWidth: number };
    return e.scrollWidth > e.clientWidth + 1;
  });
  expect(clipped, `${testId} is cut off`).toBe(false);
}

async function shot(cashier: CashierDriver, name: string): Promise<void> {
  await cashier.page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

for (const size of SIZES) {
  const small = size.width < 1024;
  test(`main flows at ${size.width}x${size.height}`, async ({ cashier }) => {
    test.setTimeout(180_000);
    const { page } = cashier;
    await page.setViewportSize(size);
    await notClipped(page, 'merchant-name');
    await notClipped(page, 'open-manager');

    await page.keyboard.type('1234');
    await shown(page.getByTestId('charge-button'), small);
    await shot(cashier, 'checkout');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'present-phone');
    await cashier.phone.tap('approve');
    await decided(page, 'approved');
    await shown(page.getByTestId('new-sale-button'), small);
    await shown(page.getByTestId('print-receipt'), small);
    await shot(cashier, 'approved');
    if (size.width >= 1920) {
      const amount = await page.getByTestId('payment-amount').evaluate(fontSize);
      const title = await page.getByTestId('decision-banner').evaluate(fontSize);
      expect(amount).toBeGreaterThan(60);
      expect(title).toBeGreaterThan(52);
    }
    await liftPhone(cashier);
    await page.keyboard.press('Enter');

    await charge(page, '500');
    await cashier.phone.tap('reader-fault');
    await decided(page, 'declined');
    await shown(page.getByTestId('try-again'), small);
    await shot(cashier, 'try-again');
    await liftPhone(cashier);
    await page.getByTestId('new-sale-button').click();
    await approvedSale(cashier, '990');

    await openManager(cashier);
    await page.getByTestId('manager-tab-log').click();
    await shown(page.getByTestId('receipt-button').first(), small);
    await shown(page.getByTestId('void-button').first(), small);
    await shot(cashier, 'log');
    await page.getByTestId('manager-tab-reports').click();
    await page.getByTestId('x-report-button').click();
    await shown(page.getByTestId('report-print'), small);

    await page.getByTestId('manager-tab-settings').click();
    await page.getByTestId('settings-country').selectOption('CN');
    await page.getByTestId('settings-save').click();
    const dialog = page.getByTestId('day-change-dialog');
    await expect(dialog).toBeVisible();
    await shot(cashier, 'day-change');
    // The dialog fits the window; what does not fit scrolls inside it.
    const box = await dialog.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= size.height).toBe(true);
    await expect(dialog.locator('h2').first()).toBeInViewport();
    await shown(page.getByTestId('day-change-dialog-confirm'), small);
  });
}

// The manager's tabs, Close and Lock all fit the width (no tab needs horizontal scrolling),
// in both languages, at 1024x768 and at 800x600.
for (const size of [
  { width: 1024, height: 768 },
  { width: 800, height: 600 },
] as const) {
  test(`manager tabs all on screen at ${size.width}x${size.height}`, async ({ cashier }) => {
    const { page } = cashier;
    await page.setViewportSize(size);
    await openManager(cashier);
    for (const language of ['en', 'zh-CN'] as const) {
      await page.getByTestId('language-switch').selectOption(language);
      await expect(page.getByTestId('app')).toHaveAttribute('data-language', language);
      const tabs = page.getByRole('tab');
      await expect(tabs).toHaveCount(6);
      for (const target of [...(await tabs.all()), page.getByTestId('manager-close'), page.getByTestId('manager-lock')]) {
        await expect(target).toBeInViewport({ ratio: 1 });
      }
      const strip = page.locator('.tabs');
      const overflow = await strip.evaluate((node) => {
        const e = node as unknown as { scrollWidth: number; clientWidth: number };
        return e.scrollWidth - e.clientWidth;
      });
      expect(overflow, `the tab strip scrolls sideways by ${overflow}px (${language})`).toBeLessThanOrEqual(1);
      await shot(cashier, `manager-tabs-${size.width}-${language}`);
    }
  });
}
