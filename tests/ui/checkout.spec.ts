// The cashier's checkout: keyboard-first amount entry, the EMV-style stages, approval with its
// receipt, cancel, the waiting timeout, one payment per sale however often Enter is pressed,
// and a reload in the middle of a payment.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { parseReceiptCode } from '../../src-main/export/receipt-code';
import { expect, test } from './fixtures';
import { approvedSale, charge, decided, dismiss, liftPhone, openManager } from './flows';

test('approve: present phone, processing, approved, remove phone', async ({ cashier }) => {
  const { page } = cashier;
  await expect(page.getByTestId('reader-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('demo-badge')).toBeVisible();
  await cashier.screenshot('checkout');

  await page.keyboard.type('12345');
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', '1234');
  await expect(page.getByTestId('amount-display')).toContainText('12.34');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'present-phone');
  await expect(page.getByTestId('waiting-countdown')).toBeVisible();
  await cashier.screenshot('present-phone');

  await cashier.phone.tap('approve');
  const id = await decided(page, 'approved');
  await expect(page.getByTestId('approved-account')).toBeVisible();
  await expect(page.getByTestId('remove-phone')).toBeVisible();
  await expect(page.getByTestId('receipt')).toHaveAttribute('data-transaction-id', id);
  await cashier.screenshot('approved');

  await cashier.phone.remove();
  await expect(page.getByTestId('reader-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('remove-phone')).toHaveCount(0);

  // Main recorded exactly this payment.
  const current = await cashier.call('currentPayment');
  expect(current).toMatchObject({ transactionId: id, amount: 1234, currency: 'USD', demo: true, decision: { outcome: 'approved' } });
  const receipt = await cashier.call('lastReceipt');
  expect(receipt).toMatchObject({ transactionId: id, status: 'approved', amount: 1234, demo: true, seq: 1 });

  await dismiss(page);
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', '0');
});

test('cancel: Esc while waiting for the phone cancels the payment', async ({ cashier }) => {
  const { page } = cashier;
  await charge(page, '500');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'cancelled');
  await cashier.screenshot('cancelled');
  expect(await cashier.call('currentPayment')).toMatchObject({ stage: 'cancelled', amount: 500 });
  // A phone tapped now starts nothing.
  await cashier.phone.tap('approve');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'cancelled');
  await cashier.phone.remove();

  // The cancel button does the same, and the sale is still rung up for another try.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('checkout')).toHaveAttribute('data-phase', 'entry');
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', '500');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'present-phone');
  await page.getByTestId('cancel-payment').click();
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'cancelled');
});

test('waiting timeout: nobody taps within the timeout set in settings', async ({ cashier }) => {
  const { page } = cashier;
  await openManager(cashier);
  await page.getByTestId('manager-tab-settings').click();
  await page.getByTestId('settings-wait-timeout').fill('5');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  expect((await cashier.call('getSettings')).waitTimeoutMs).toBe(5000);
  await page.getByTestId('manager-close').click();

  await charge(page, '250');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'timed-out', { timeout: 20_000 });
  await cashier.screenshot('timed-out');
  expect(await cashier.call('currentPayment')).toMatchObject({ stage: 'timed-out', finished: true });
});

test('double Enter starts only one payment for the sale', async ({ cashier }) => {
  const { page } = cashier;
  await page.keyboard.type('999');
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', '999');
  // Two Enters in the same frame, then a click on Charge while the first start is in flight.
  await page.evaluate(() => {
    const w = globalThis as unknown as { dispatchEvent(e: unknown): boolean; KeyboardEvent: new (type: string, init: object) => unknown };
    for (let i = 0; i < 2; i += 1) w.dispatchEvent(new w.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'present-phone');
  const first = await page.getByTestId('payment-panel').getAttribute('data-transaction-id');
  // Main refuses a second start whatever the screen does.
  expect(await cashier.callError('startPayment', { amount: 999 })).toMatch(/^\[payment_in_progress\]/);
  await cashier.phone.tap('approve');
  expect(await decided(page, 'approved')).toBe(first);
  await liftPhone(cashier);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');

  await cashier.unlockManager();
  const log = await cashier.call('listLog');
  expect(log.entries.map((e) => e.transactionId)).toEqual([first]);
});

test('receipt: shown after the decision, printed and reprinted', async ({ cashier }) => {
  const { page } = cashier;
  if (cashier.mode === 'electron') {
    // No printer in the test machine: a silent print to a missing printer answers at once
    // ("not printed") instead of opening the system dialog.
    await cashier.unlockManager();
    await cashier.call('updateSettings', { printer: { name: 'cashier-test-no-printer', paperWidth: 80 } });
    await cashier.call('lockManager');
  }
  await charge(page, '4321');
  await cashier.phone.tap('approve');
  const id = await decided(page, 'approved');
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toHaveAttribute('data-status', 'approved');
  const lines = page.getByTestId('receipt-lines');
  await expect(lines).toContainText('Corner Store');
  await expect(lines).toContainText('43.21');
  await expect(lines).toContainText('DEMO');
  await expect(lines).toContainText(id.slice(0, 8));
  // The signed receipt code, as a QR code beside the lines (docs/ledger.md "Receipt code").
  const qr = page.getByTestId('receipt-qr');
  await expect(qr).toBeVisible();
  const shownCode = (await qr.getAttribute('data-code')) ?? '';
  const shown = parseReceiptCode(shownCode);
  expect(shown).toMatchObject({ transactionId: id, amount: 4321, status: 'approved' });
  await receipt.scrollIntoViewIfNeeded();
  await cashier.screenshot('receipt');

  await page.getByTestId('print-receipt').click();
  await expect(page.getByTestId('print-result')).toBeVisible();
  if (cashier.mode === 'harness') {
    const printed = cashier.printed();
    expect(printed).toHaveLength(1);
    expect(printed[0]?.lines.join('\n')).toContain('DEMO');
    expect(printed[0]?.lines.join('\n')).toContain('43.21');
    expect(Math.max(...(printed[0]?.lines ?? []).map((l) => l.length))).toBeLessThanOrEqual(48);
    // The printed QR image is made by main from the ledger row; a QR reader gets the code back.
    const png = PNG.sync.read(Buffer.from((printed[0]?.qr ?? '').replace(/^data:image\/png;base64,/, ''), 'base64'));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(parseReceiptCode(decoded?.data ?? '')).toMatchObject({ transactionId: id, amount: 4321, status: 'approved', seq: shown.seq });
  }
  await liftPhone(cashier);
  await dismiss(page);

  // F8 reprints the last receipt from main (it survives the screen being left).
  await page.keyboard.press('F8');
  await expect(page.getByTestId('print-result')).toBeVisible();
  if (cashier.mode === 'harness') {
    const printed = cashier.printed();
    expect(printed).toHaveLength(2);
    expect(printed[1]?.lines.join('\n')).toContain(id.slice(0, 8));
    // The reprint carries the row's signed code too (ECDSA signs afresh each time: same fields).
    const png = PNG.sync.read(Buffer.from((printed[1]?.qr ?? '').replace(/^data:image\/png;base64,/, ''), 'base64'));
    const reprinted = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? '';
    const signedPart = (code: string) => code.slice(0, code.lastIndexOf('|'));
    expect(signedPart(reprinted)).toBe(signedPart(shownCode));
    expect(parseReceiptCode(reprinted).signature).toHaveLength(64);
  }
  // A payment nothing recorded has no receipt: printing one is refused, never printed without its code.
  expect(await cashier.callError('printReceipt', { transactionId: '0'.repeat(32), lines: ['x'], paperWidth: 80 })).toMatch(
    /not_found.* no recorded sale, void or refund 0+: only a ledger row has a receipt/,
  );
});

test('a reload in the middle of a payment re-attaches to it', async ({ cashier }) => {
  const { page } = cashier;
  await charge(page, '777');
  const id = await page.getByTestId('payment-panel').getAttribute('data-transaction-id');
  await page.reload();
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'present-phone');
  await expect(page.getByTestId('payment-panel')).toHaveAttribute('data-transaction-id', id ?? '');
  await cashier.phone.tap('approve');
  expect(await decided(page, 'approved')).toBe(id);
  // And after the decision, a reload still shows it.
  await page.reload();
  await expect(page.getByTestId('decision-banner')).toHaveAttribute('data-outcome', 'approved');
  await liftPhone(cashier);
  await dismiss(page);
  await approvedSale(cashier, '100');
});

test('line items: described items with quantities add up to the charged total', async ({ cashier }) => {
  const { page } = cashier;
  // 2 x 1.20 "Tea" (F2 describes the item, Enter returns to the amount), then 3.50 without a description.
  await page.keyboard.press('F2');
  await page.keyboard.type('Tea');
  await page.keyboard.press('Enter');
  await page.keyboard.type('2');
  await page.keyboard.press('*');
  await page.keyboard.type('120');
  await page.keyboard.press('+');
  await page.keyboard.type('350');
  await page.keyboard.press('+');
  await expect(page.getByTestId('line-item')).toHaveCount(2);
  await expect(page.getByTestId('line-items')).toContainText('Tea');
  await cashier.screenshot('line-items');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-stage')).toHaveAttribute('data-stage', 'present-phone');
  await expect(page.getByTestId('payment-amount')).toHaveAttribute('data-amount', '590');
  const current = await cashier.call('currentPayment');
  expect(current?.items).toEqual([
    { description: 'Tea', quantity: 2, unitPrice: 120 },
    expect.objectContaining({ quantity: 1, unitPrice: 350 }),
  ]);

  await cashier.phone.tap('approve');
  const id = await decided(page, 'approved');
  await expect(page.getByTestId('receipt-lines')).toContainText('Tea');
  await cashier.unlockManager();
  const receipt = await cashier.call('getReceipt', { transactionId: id });
  expect(receipt.items).toHaveLength(2);
  expect(receipt.amount).toBe(590);
});

test('demo mode: the on-screen simulated phone pays and leaves', async ({ cashier }) => {
  const { page } = cashier;
  await expect(page.getByTestId('demo-phone')).toBeVisible();
  await charge(page, '1999');
  await page.getByTestId('demo-tap-approve').click();
  await decided(page, 'approved');
  await expect(page.getByTestId('receipt-lines')).toContainText('DEMO');
  await page.getByTestId('demo-remove').click();
  await expect(page.getByTestId('remove-phone')).toHaveCount(0);
  await expect(page.getByTestId('reader-status')).toHaveAttribute('data-state', 'ready');
  await cashier.unlockManager();
  const log = await cashier.call('listLog');
  expect(log.entries).toEqual([expect.objectContaining({ amount: 1999, status: 'approved', demo: true })]);
});

test('a payment recorded while the checkout was not on screen is shown as "Last payment" until seen', async ({ cashier }) => {
  const { page } = cashier;
  // A payment the screen showed is not offered again after a restart of the window.
  await charge(page, '500');
  await cashier.phone.tap('approve');
  await decided(page, 'approved');
  await liftPhone(cashier);
  await dismiss(page);
  await page.reload();
  await expect(page.getByTestId('checkout')).toHaveAttribute('data-phase', 'entry');
  await expect(page.getByTestId('last-payment')).toHaveCount(0);

  // The till's window is away (manager area) while a payment is committed; then the window restarts.
  await openManager(cashier);
  const snapshot = await cashier.call('startPayment', { amount: 1234 });
  await cashier.phone.tap('approve');
  await expect.poll(async () => (await cashier.call('currentPayment'))?.decision?.outcome).toBe('approved');
  await cashier.phone.remove();
  await expect.poll(async () => (await cashier.call('currentPayment'))?.finished).toBe(true);
  await page.reload();
  await cashier.call('lockManager');
  const banner = page.getByTestId('last-payment');
  await expect(banner).toHaveAttribute('data-transaction-id', snapshot.transactionId);
  await expect(banner).toHaveAttribute('data-outcome', 'approved');
  await expect(banner).toContainText(/Last payment: approved, \$12\.34, \d{1,2}:\d{2}/);
  await expect(banner).toContainText('do not charge again');
  await cashier.screenshot('last-payment');

  await page.getByTestId('last-payment-ok').click();
  await expect(banner).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('checkout')).toHaveAttribute('data-phase', 'entry');
  await expect(page.getByTestId('last-payment')).toHaveCount(0);
});
