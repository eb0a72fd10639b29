// Issue 14, item 5: refusals say what happened, in the screen's language, not "The terminal
// refused this." with the reason folded away under "Technical detail".
import { expect, test } from './fixtures';
import { openManager } from './flows';

test('a wrong current PIN in Change PIN says so with the tries left, in English and Chinese', async ({ cashier }) => {
  const { page } = cashier;
  await openManager(cashier);
  await page.getByTestId('manager-tab-settings').click();
  const form = page.getByTestId('change-pin');
  await form.getByTestId('pin-current').fill('9753');
  await form.getByTestId('pin-new').fill('8642');
  await form.getByTestId('pin-again').fill('8642');
  await page.getByTestId('pin-change-submit').click();
  const reason = page.getByTestId('pin-change-error-reason');
  await expect(reason).toHaveText('The current PIN is wrong: 4 tries left.');
  await expect(reason).toBeVisible();
  await expect(page.getByTestId('pin-change-error')).not.toContainText('The terminal refused this.');
  // Worded from main's reason code (not its English sentence), and tied to the field it is about.
  await expect(page.getByTestId('pin-change-error')).toHaveAttribute('data-refusal', 'refusal.pin_wrong');
  await expect(form.getByTestId('pin-current')).toHaveAttribute('aria-invalid', 'true');

  // The settings reload in the new language (the form starts empty again).
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'zh-CN');
  await form.getByTestId('pin-current').fill('9753');
  await form.getByTestId('pin-new').fill('8642');
  await form.getByTestId('pin-again').fill('8642');
  await page.getByTestId('pin-change-submit').click();
  await expect(reason).toHaveText('当前 PIN 不正确：还可尝试 3 次。');
});

test('a bad trust-store import and a bad revocation list show their reason', async ({ cashier }) => {
  const { page } = cashier;
  await openManager(cashier);
  await page.getByTestId('manager-tab-trust').click();
  await page.getByTestId('trust-text').fill('{"kid": "x"}');
  await page.getByTestId('trust-preview-text').click();
  const trustReason = page.getByTestId('trust-import-error-reason');
  await expect(trustReason).toContainText('This is not a valid trust-store entry:');
  await expect(trustReason).toBeVisible();

  await page.getByTestId('crl-text').fill('not json at all');
  await page.getByTestId('crl-import-text').click();
  await expect(page.getByTestId('trust-error-reason')).toHaveText(
    'This text is not a JSON document. Paste the whole file, or choose the file.',
  );
});

test('counted words follow Intl.PluralRules: "1 try left" on the PIN pad', async ({ cashier }) => {
  const { page } = cashier;
  await page.getByTestId('open-manager').click();
  for (let i = 0; i < 4; i += 1) {
    await page.getByTestId('pin-input').fill('0000');
    await page.getByTestId('pin-submit').click();
    await expect(page.getByTestId('pin-remaining')).toHaveAttribute('data-remaining', String(4 - i));
  }
  await expect(page.getByTestId('pin-remaining')).toHaveText('Wrong PIN. 1 try left before the PIN locks.');
});
