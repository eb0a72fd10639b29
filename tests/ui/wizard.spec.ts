// First run: the wizard sets country, merchant, terminal, manager PIN and the first trusted
// key (here the demo authority), and the checkout screen follows.
import { expect, MANAGER_PIN, test } from './fixtures';

test.use({ setUpTerminal: false });

test('first-run wizard sets up the terminal in demo mode', async ({ cashier }) => {
  const { page } = cashier;
  const wizard = page.getByTestId('wizard');
  await expect(wizard).toBeVisible();
  await expect(wizard).toHaveAttribute('data-step', 'country');
  await page.getByTestId('wizard-country').selectOption('GB');
  await expect(page.getByTestId('wizard-country-sample')).toContainText('£');
  await cashier.screenshot('wizard-country');
  await page.getByTestId('wizard-next').click();

  await expect(wizard).toHaveAttribute('data-step', 'merchant');
  // A merchant id with a space is refused before anything is saved.
  await page.getByTestId('wizard-merchant-id').fill('Corner Store');
  await page.getByTestId('wizard-merchant-name').fill('Corner Store');
  await page.getByTestId('wizard-terminal-id').fill('T-01');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-error')).toBeVisible();
  await expect(wizard).toHaveAttribute('data-step', 'merchant');
  await page.getByTestId('wizard-merchant-id').fill('M-1001');
  await page.getByTestId('wizard-next').click();

  await expect(wizard).toHaveAttribute('data-step', 'pin');
  await page.getByTestId('wizard-pin').fill(MANAGER_PIN);
  await page.getByTestId('wizard-pin-confirm').fill('1357');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-error')).toBeVisible();
  await page.getByTestId('wizard-pin-confirm').fill(MANAGER_PIN);
  await page.getByTestId('wizard-next').click();

  await expect(wizard).toHaveAttribute('data-step', 'trust');
  await page.getByTestId('wizard-trust-demo').click();
  await expect(page.getByTestId('wizard-trust-chosen')).toBeVisible();
  await page.getByTestId('wizard-next').click();

  await expect(wizard).toHaveAttribute('data-step', 'review');
  await expect(page.getByTestId('wizard-review')).toContainText('M-1001');
  await cashier.screenshot('wizard-review');
  await page.getByTestId('wizard-finish').click();

  await expect(page.getByTestId('checkout')).toBeVisible();
  await expect(page.getByTestId('merchant-name')).toContainText('Corner Store');
  await expect(page.getByTestId('demo-badge')).toBeVisible();

  // Main saved it: the contract reports the setup and refuses a second one.
  const state = await cashier.call('appState');
  expect(state).toMatchObject({ setupComplete: true, demo: true, country: { code: 'GB', currency: 'GBP' }, terminalId: 'T-01' });
  expect(
    await cashier.callError('completeSetup', {
      country: 'US',
      merchantId: 'X',
      merchantName: 'X',
      terminalId: 'X',
      pin: '1234',
      language: 'en',
      trustKey: 'demo',
    }),
  ).toMatch(/^\[setup_done\]/);
  const pin = await cashier.call('unlockManager', { pin: MANAGER_PIN });
  expect(pin.ok).toBe(true);
});

test('first run: country from the system locale, example ids in demo mode, DEMO only once chosen', async ({ cashier }) => {
  const { page } = cashier;
  const wizard = page.getByTestId('wizard');
  await expect(wizard).toHaveAttribute('data-step', 'country');
  const region = await page.evaluate(
    () => new Intl.Locale((globalThis as unknown as { navigator: { language: string } }).navigator.language).maximize().region,
  );
  await expect(page.getByTestId('wizard-country')).toHaveValue(region ?? '');
  // Nothing is decided yet: no DEMO badge in the top bar during the first run.
  await expect(page.getByTestId('demo-badge')).toHaveCount(0);
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-demo-ids').click();
  await expect(page.getByTestId('wizard-merchant-id')).toHaveValue('DEMO-MERCHANT');
  await expect(page.getByTestId('wizard-terminal-id')).toHaveValue('DEMO-01');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-pin').fill('1111');
  await page.getByTestId('wizard-pin-confirm').fill('1111');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-error')).toHaveText(/too easy to guess: all one digit/);
  // Main refuses it too, whatever the screen does.
  expect(
    await cashier.callError('completeSetup', {
      country: 'US',
      merchantId: 'X',
      merchantName: 'X',
      terminalId: 'X',
      pin: '1234',
      language: 'en',
      trustKey: 'demo',
    }),
  ).toMatch(/^\[invalid_argument\] pin: the PIN is too easy to guess/);
  await page.getByTestId('wizard-pin').fill(MANAGER_PIN);
  await page.getByTestId('wizard-pin-confirm').fill(MANAGER_PIN);
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-trust-demo').click();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-finish').click();
  await expect(page.getByTestId('demo-badge')).toBeVisible();
});
