// Issue 14, item 9: in Simplified Chinese every screen is in Chinese. Walks every screen and
// fails on visible English words that are not names, codes or amounts.
import type { Page } from '@playwright/test';
import { REASON_CODES } from '../../src-main/domain/reasons';
import { expect, test } from './fixtures';
import { tourApp, tourWizard } from './screens';

/** Words that stay as they are in a Chinese interface: names, units, codes, ids. */
const ALLOWED = new Set<string>([
  ...REASON_CODES,
  'English',
  'PIN',
  'DEMO',
  'USD',
  'CNY',
  'GBP',
  'EUR',
  'JPY',
  'Corner',
  'Store',
  'ISO',
  'JSON',
  'Enter',
  'Esc',
  'Del',
  'PC/SC',
  'PCSC',
  'SHA',
  'ES256',
  'IANA',
  'UTC',
  'NFC',
  'CSV',
  'JSONL',
  'POS',
]);

async function englishWords(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    type El = { closest(s: string): unknown; checkVisibility(): boolean };
    const doc = (
      globalThis as unknown as {
        document: {
          body: unknown;
          createTreeWalker(root: unknown, what: number): { nextNode(): unknown };
          querySelectorAll(s: string): ArrayLike<El>;
        };
      }
    ).document;
    // Receipts and reports on paper, machine codes, ids and fingerprints are shown as they are.
    const verbatim =
      '.receipt, .mono, code, kbd, .code, .fingerprint, [data-testid="report-paper"], .demo-panel .name, .field-help > .code';
    const out: string[] = [];
    const walker = doc.createTreeWalker(doc.body, 4);
    for (
      let node = walker.nextNode() as { textContent: string; parentElement: El | null } | null;
      node;
      node = walker.nextNode() as typeof node
    ) {
      const parent = node.parentElement;
      // An option is seen once its select is opened.
      if (parent && !parent.closest(verbatim) && (parent.checkVisibility() || parent.closest('select'))) out.push(node.textContent);
    }
    return out;
  });
  const found: string[] = [];
  for (const text of texts) {
    // A URL (an example address in a field's help) is an address, not a word.
    for (const token of text.replace(/https?:\/\/\S+/g, ' ').split(/[^A-Za-z0-9_/.-]+/)) {
      // Hex ids, reason codes (snake_case), IANA time zones (Area/City) and ISO 4217 currency
      // codes are codes, not words.
      if (/[0-9_/]/.test(token) || /^[A-Z]{3}$/.test(token)) continue;
      for (const word of token.match(/[A-Za-z]{3,}/g) ?? []) if (!ALLOWED.has(word)) found.push(`${word} in "${text.trim().slice(0, 60)}"`);
    }
  }
  return found;
}

test.describe('first run', () => {
  test.use({ setUpTerminal: false });
  test('the wizard in Chinese has no untranslated words', async ({ cashier }) => {
    const found = new Set<string>();
    await tourWizard(cashier, 'zh-CN', async (screen) => {
      for (const w of await englishWords(cashier.page)) found.add(`${screen}: ${w}`);
    });
    expect([...found]).toEqual([]);
  });
});

test('checkout, payment and manager screens in Chinese have no untranslated words', async ({ cashier }) => {
  test.setTimeout(180_000);
  const found = new Set<string>();
  await tourApp(cashier, 'zh-CN', async (screen) => {
    for (const w of await englishWords(cashier.page)) found.add(`${screen}: ${w}`);
  });
  expect([...found]).toEqual([]);
});

test('after switching in the top bar the settings show the interface language; dates follow it', async ({ cashier }) => {
  const { page } = cashier;
  await cashier.unlockManager();
  await page.getByTestId('open-manager').click();
  await page.getByTestId('manager-tab-settings').click();
  await expect(page.getByTestId('settings-language')).toHaveValue('en');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'zh-CN');
  await expect(page.getByTestId('settings-language')).toHaveValue('zh-CN');
  // The reader choice of the simulated phone is in Chinese, and no English reader name is offered.
  await expect(page.getByTestId('settings-reader').locator('option:checked')).toHaveText('模拟手机（演示模式）');
  await expect(page.getByTestId('settings-reader')).not.toContainText('Simulated phone');

  await page.getByTestId('manager-tab-reports').click();
  await page.getByTestId('z-report-date').fill('2026-03-31');
  await expect(page.getByTestId('z-report-date-shown')).toHaveText('2026年3月31日星期二');
  await page.getByTestId('language-switch').selectOption('en');
  await expect(page.getByTestId('z-report-date-shown')).toHaveText('Tuesday, March 31, 2026');
});
