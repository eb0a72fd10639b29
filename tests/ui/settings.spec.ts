// Manager settings: switching demo mode off for good (behind the manager PIN, after a
// confirmation that says what changes), and the warning before a country or time-zone change
// moves the business day.
import { expect, test } from './fixtures';
import { approvedSale, charge, decided, liftPhone, openManager } from './flows';

const DAY = 86_400_000;

test('demo mode: switched off from the settings after a confirmation; demo licenses stop being money', async ({ cashier }) => {
  const { page } = cashier;
  const sale = await approvedSale(cashier, '1500');
  // Only a manager may do it.
  expect(await cashier.callError('leaveDemoMode')).toMatch(/^\[manager_session_required\]/);

  await openManager(cashier);
  await page.getByTestId('manager-tab-settings').click();
  const panel = page.getByTestId('demo-mode');
  await expect(panel).toHaveAttribute('data-active', 'true');
  // The demo licenses run about a year and are renewed automatically.
  const expiresAt = Number(await page.getByTestId('demo-licenses').getAttribute('data-expires-at'));
  expect(expiresAt).toBeGreaterThan(cashier.now() + 360 * DAY);

  // Cancel changes nothing.
  await page.getByTestId('demo-off').click();
  await expect(page.getByTestId('demo-off-dialog')).toBeVisible();
  await page.getByTestId('demo-off-dialog-cancel').click();
  await expect(page.getByTestId('demo-off-dialog')).toHaveCount(0);
  expect(await cashier.call('demoStatus')).toMatchObject({ active: true });

  // The confirmation names what changes, and that no real authority key is trusted yet.
  await page.getByTestId('demo-off').click();
  const dialog = page.getByTestId('demo-off-dialog');
  await expect(dialog).toContainText('cannot be switched back on');
  await expect(dialog.getByTestId('demo-off-no-key')).toBeVisible();
  await cashier.screenshot('demo-off-confirm');
  await dialog.getByTestId('demo-off-dialog-confirm').click();
  await expect(page.getByTestId('demo-off-done')).toBeVisible();
  await expect(panel).toHaveAttribute('data-active', 'false');
  await cashier.screenshot('demo-off');

  expect(await cashier.call('getSettings')).toMatchObject({ demo: false, reader: { kind: 'pcsc' } });
  expect(await cashier.call('demoStatus')).toMatchObject({ active: false });
  const demoKeys = (await cashier.call('listTrustKeys')).filter((k) => k.demo);
  expect(demoKeys.length).toBeGreaterThan(0);
  expect(demoKeys.every((k) => k.status === 'retired')).toBe(true);
  await page.getByTestId('manager-tab-trust').click();
  await expect(page.locator('[data-testid="trust-row"][data-retired="false"]')).toHaveCount(0);
  // The demo sale is still in the day's log, marked demo.
  expect((await cashier.call('listLog')).entries.find((e) => e.transactionId === sale)).toMatchObject({ status: 'approved', demo: true });

  // This run forces the simulated phone (CASHIER_READER=stub / the harness); its demo license is
  // no longer trusted, so it can never pass as a real payment.
  await page.getByTestId('manager-close').click();
  await charge(page, '1500');
  await cashier.phone.tap('approve');
  await decided(page, 'declined');
  await expect(page.getByTestId('decline-reason')).toHaveAttribute('data-reason', 'authority_key_not_valid');
  await liftPhone(cashier);
});

test('country change mid-day: the settings warn what happens to the business day before saving', async ({ cashier }) => {
  const { page } = cashier;
  await approvedSale(cashier, '990');
  await openManager(cashier);
  await page.getByTestId('manager-tab-settings').click();

  // A change that leaves the business day alone saves at once.
  await page.getByTestId('settings-wait-timeout').fill('45');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('day-change-dialog')).toHaveCount(0);

  // US (New York) -> China (Shanghai): the screen says what changes, with main's own figures.
  await page.getByTestId('settings-country').selectOption('CN');
  await page.getByTestId('settings-save').click();
  const dialog = page.getByTestId('day-change-dialog');
  await expect(dialog).toBeVisible();
  const preview = await cashier.call('businessDayPreview', { country: 'CN' });
  const row = (kind: string) => dialog.locator(`[data-testid="day-change-row"][data-kind="${kind}"]`);
  await expect(row('timeZone')).toHaveAttribute('data-changed', 'true');
  await expect(row('timeZone')).toContainText('America/New_York');
  await expect(row('timeZone')).toContainText('Asia/Shanghai');
  await expect(row('currency')).toContainText('USD');
  await expect(row('currency')).toContainText('CNY');
  await expect(row('cutoffHour')).toHaveAttribute('data-changed', 'false');
  await expect(row('businessDate')).toContainText(preview.current.businessDate);
  await expect(row('businessDate')).toContainText(preview.next.businessDate);
  await expect(row('businessDate')).toHaveAttribute('data-changed', String(preview.next.businessDate !== preview.current.businessDate));
  // Where the next sale goes: a new business date (the open one stays open), or the same one.
  if (preview.next.businessDate !== preview.current.businessDate) {
    await expect(dialog.getByTestId('day-change-new-day')).toContainText(preview.current.businessDate);
    await expect(dialog.getByTestId('day-change-new-day')).toContainText(preview.next.businessDate);
  } else {
    await expect(dialog.getByTestId('day-change-same-day')).toContainText(preview.current.businessDate);
  }
  // The sale already recorded today is named, with the advice to close and export first.
  await expect(dialog.getByTestId('day-change-open-day')).toHaveAttribute('data-count', '1');
  await cashier.screenshot('settings-day-change');

  // Cancel saves nothing.
  await dialog.getByTestId('day-change-dialog-cancel').click();
  await expect(dialog).toHaveCount(0);
  expect((await cashier.call('getSettings')).country).toBe('US');

  await page.getByTestId('settings-save').click();
  await dialog.getByTestId('day-change-dialog-confirm').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  expect(await cashier.call('getSettings')).toMatchObject({ country: 'CN', waitTimeoutMs: 45_000 });
  expect((await cashier.call('appState')).country).toMatchObject({ timeZone: 'Asia/Shanghai', currency: 'CNY' });
});
