// Language switch: English and Simplified Chinese, chosen on the checkout screen, saved by main,
// and applied to every screen (payment stages, decline reasons, receipts) and after a reload.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../harness/build-renderer';
import { expect, test } from './fixtures';
import { charge, decided } from './flows';

const catalog = (language: string, file: string) =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'resources/i18n', language, file), 'utf8')) as Record<string, unknown>;
const ui = { en: catalog('en', 'ui.json') as Record<string, string>, zh: catalog('zh-CN', 'ui.json') as Record<string, string> };
const reasons = catalog('zh-CN', 'reasons.json') as Record<string, { message: string }>;

/** The longest part of a translation without placeholders ("Charge {amount}" -> "Charge"). */
function fixedText(text: string | undefined): string {
  if (!text) throw new Error('missing translation');
  return (
    text
      .split(/\{[^}]*\}/)
      .map((part) => part.trim())
      .sort((a, b) => b.length - a.length)[0] ?? ''
  );
}

test('language switch to Simplified Chinese and back', async ({ cashier }) => {
  const { page } = cashier;
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'en');
  await expect(page.getByTestId('charge-button')).toContainText(fixedText(ui.en['sale.charge']));

  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('charge-button')).toContainText(fixedText(ui.zh['sale.charge']));
  await expect(page.getByTestId('demo-badge')).toContainText(fixedText(ui.zh['app.demo']));
  await cashier.screenshot('checkout-zh');
  expect((await cashier.call('getSettings')).language).toBe('zh-CN');

  // The payment screens speak it too, decline reasons included.
  await charge(page, '880');
  await expect(page.getByTestId('stage-title')).toContainText(fixedText(ui.zh['stage.present-phone']));
  await cashier.phone.tap('revoked-license');
  await decided(page, 'declined');
  await expect(page.getByTestId('decline-reason')).toContainText(reasons.license_revoked?.message ?? '');
  await cashier.screenshot('declined-zh');
  await cashier.phone.remove();

  // Main keeps the choice: a reload comes back in Chinese.
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'zh-CN');

  await page.getByTestId('language-switch').selectOption('en');
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect((await cashier.call('appState')).language).toBe('en');
});
