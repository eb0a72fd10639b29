// Issue 14, item 10: every control on every screen is at least 44 x 44 CSS pixels (WCAG 2.5.5),
// so a cashier's finger hits it on a touch screen.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { tourApp, tourWizard } from './screens';

const MIN = 44;

async function smallControls(page: Page, screen: string): Promise<string[]> {
  const found = await page.evaluate((min) => {
    type El = {
      getBoundingClientRect(): { width: number; height: number };
      checkVisibility(): boolean;
      getAttribute(n: string): string | null;
      tagName: string;
      textContent: string | null;
      type?: string;
    };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
    const out: string[] = [];
    for (const el of Array.from(doc.querySelectorAll('button, input, select, textarea, summary, a[href], [role="tab"]'))) {
      if (!el.checkVisibility() || el.type === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width < min || box.height < min) {
        out.push(
          `${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') ?? (el.textContent ?? '').trim().slice(0, 20)}] ${Math.round(box.width)}x${Math.round(box.height)}`,
        );
      }
    }
    return out;
  }, MIN);
  return found.map((f) => `${screen}: ${f}`);
}

test.describe('first run', () => {
  test.use({ setUpTerminal: false });
  test('wizard controls are at least 44 x 44', async ({ cashier }) => {
    const found = new Set<string>();
    await tourWizard(cashier, 'en', async (screen) => {
      for (const f of await smallControls(cashier.page, screen)) found.add(f);
    });
    expect([...found]).toEqual([]);
  });
});

test('checkout, payment and manager controls are at least 44 x 44', async ({ cashier }) => {
  test.setTimeout(180_000);
  const found = new Set<string>();
  await tourApp(cashier, 'en', async (screen) => {
    // Open the folded parts too: their summaries and what they hold are controls as well.
    await cashier.page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ open: boolean }> } }).document;
      for (const d of Array.from(doc.querySelectorAll('details'))) d.open = true;
    });
    for (const f of await smallControls(cashier.page, screen)) found.add(f);
  });
  expect([...found]).toEqual([]);
});
