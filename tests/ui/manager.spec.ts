// The manager area: PIN with lockout, the day's log, void, X and Z reports, and the export
// whose files pass settlement's verify-export.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../harness/build-renderer';
import { runCliProcess } from '../support/cli-process';
import { expect, MANAGER_PIN, test } from './fixtures';
import { approvedSale, charge, decided, dismiss, liftPhone, openManager } from './flows';

/** `npm run cli -- verify-export` as the settlement desk runs it; resolves with its exit code and output. */
async function verifyExportCli(manifest: string, trustStore: string): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runCliProcess(['verify-export', manifest, '--trust', trustStore]);
  return { code, output: stdout + stderr };
}

test('PIN: wrong tries count down, then the PIN locks', async ({ cashier }) => {
  const { page } = cashier;
  await page.getByTestId('open-manager').click();
  await expect(page.getByTestId('pin-dialog')).toBeVisible();
  await cashier.screenshot('pin');
  for (let left = 4; left >= 1; left -= 1) {
    await page.getByTestId('pin-input').fill('0000');
    await page.getByTestId('pin-submit').click();
    await expect(page.getByTestId('pin-remaining')).toHaveAttribute('data-remaining', String(left));
  }
  await page.getByTestId('pin-input').fill('0000');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-locked')).toBeVisible();
  await expect(page.getByTestId('pin-error')).toHaveAttribute('data-reason', 'locked');
  await cashier.screenshot('pin-locked');

  // Main holds the lock: even the right PIN is refused now, and manager requests stay closed.
  const status = await cashier.call('pinStatus');
  expect(status).toMatchObject({ locked: true, remainingAttempts: 0 });
  expect(status.lockedUntil).toBeGreaterThan(cashier.now());
  expect(await cashier.call('unlockManager', { pin: MANAGER_PIN })).toMatchObject({ ok: false, reason: 'locked' });
  expect(await cashier.callError('listLog')).toMatch(/^\[manager_session_required\]/);
  await expect(page.getByTestId('manager')).toHaveCount(0);
});

test('void: a same-day approval is voided by a new row', async ({ cashier }) => {
  const { page } = cashier;
  const rogue = await test.step("a decline by an unknown authority: the phone's claimed account is no fact", async () => {
    await charge(page, '900');
    await cashier.phone.tap('unknown-authority');
    const id = await decided(page, 'declined');
    await expect(page.getByTestId('decline-reason')).toHaveAttribute('data-reason', 'unknown_authority');
    const receipt = page.getByTestId('receipt');
    await expect(receipt).toHaveAttribute('data-status', 'declined');
    await expect(receipt).not.toContainText('Account');
    await expect(receipt).not.toContainText('License');
    await cashier.screenshot('declined-unknown-authority');
    const receiptText = await receipt.innerText();
    await liftPhone(cashier);
    await dismiss(page);
    // A decline keeps the amount for another try; this sale is over.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('amount-display')).toHaveAttribute('data-amount', '0');
    return { id, receiptText };
  });
  const sale = await approvedSale(cashier, '2500');
  await openManager(cashier);
  await page.getByTestId('manager-tab-log').click();
  // The manager sees what the phone claimed, marked as its claim.
  const claimed = page.locator(`[data-testid="log-row"][data-transaction-id="${rogue.id}"]`).getByTestId('log-account');
  await expect(claimed).toHaveAttribute('data-verified', 'false');
  await expect(claimed.getByTestId('log-account-claimed')).toContainText('claimed by the phone, not verified');
  const claimedAccount = (await claimed.locator('span').first().innerText()).trim();
  expect(claimedAccount).toMatch(/\S{4}/);
  expect(rogue.receiptText).not.toContain(claimedAccount);
  const approvedAccount = page.locator(`[data-testid="log-row"][data-transaction-id="${sale}"]`).getByTestId('log-account');
  await expect(approvedAccount).toHaveAttribute('data-verified', 'true');
  await expect(approvedAccount.getByTestId('log-account-claimed')).toHaveCount(0);
  const row = page.locator(`[data-testid="log-row"][data-transaction-id="${sale}"]`);
  await expect(row).toHaveAttribute('data-status', 'approved');
  await row.getByTestId('void-button').click();
  await page.getByTestId('void-confirm').click();
  await expect(page.getByTestId('void-result')).toBeVisible();
  await expect(page.locator('[data-testid="log-row"][data-type="void"]')).toHaveCount(1);
  await cashier.screenshot('void');

  const log = await cashier.call('listLog');
  const voidRow = log.entries.find((e) => e.type === 'void');
  expect(voidRow).toMatchObject({ status: 'voided', voidOf: sale, amount: 2500 });
  expect(log.entries.find((e) => e.transactionId === sale)).toMatchObject({ status: 'approved', voided: true });
  // A second void of the same sale is refused by main.
  expect(await cashier.callError('voidTransaction', { transactionId: sale })).toMatch(/^\[conflict\]/);
});

test('X report, then Z report closes the day, and the Z report prints', async ({ cashier }) => {
  const { page } = cashier;
  // Reports print on the receipt printer: 58 mm paper here (32 columns).
  await cashier.unlockManager();
  await cashier.call('updateSettings', {
    // No printer in the Electron test machine: a silent print to a missing printer answers at once.
    printer: cashier.mode === 'electron' ? { name: 'cashier-test-no-printer', paperWidth: 58 } : { paperWidth: 58 },
  });
  await cashier.call('lockManager');
  await approvedSale(cashier, '1000');
  await approvedSale(cashier, '250');
  await charge(page, '990');
  await cashier.phone.tap('expired-license');
  await decided(page, 'declined');
  await liftPhone(cashier);
  await dismiss(page);

  await openManager(cashier);
  await page.getByTestId('manager-tab-reports').click();
  await page.getByTestId('x-report-button').click();
  const report = page.getByTestId('report');
  await expect(report).toHaveAttribute('data-kind', 'X');
  await expect(page.getByTestId('report-approved-count')).toContainText('2');
  await expect(page.getByTestId('report-declined-count')).toContainText('1');
  await cashier.screenshot('x-report');

  await page.getByTestId('z-report-button').click();
  await page.getByTestId('z-confirm').click();
  await expect(report).toHaveAttribute('data-kind', 'Z');
  await expect(page.getByTestId('report-z-number')).toHaveAttribute('data-z-number', '1');
  await cashier.screenshot('z-report');

  // The paper version: shown as it prints, then printed.
  await page.getByTestId('report-paper').locator('summary').click();
  const paper = page.getByTestId('report-paper-lines');
  await expect(paper).toContainText('Z REPORT 1');
  await paper.scrollIntoViewIfNeeded();
  await cashier.screenshot('z-report-paper');
  await page.getByTestId('report-print').click();
  await expect(page.getByTestId('report-print-result')).toBeVisible();
  if (cashier.mode === 'harness') {
    await expect(page.getByTestId('report-print-result')).toHaveAttribute('data-printed', 'true');
    const printed = cashier.printed();
    expect(printed).toHaveLength(1);
    const job = printed[0];
    expect(job?.paperWidth).toBe(58);
    expect(job?.title).toMatch(/^Z report 1 \d{4}-\d{2}-\d{2}$/);
    const text = job?.lines.join('\n') ?? '';
    expect(text).toContain('Corner Store');
    expect(text).toContain('Z REPORT 1');
    expect(text).toContain('*** DEMO ***');
    expect(text).toMatch(/^Approved\s+2$/m);
    expect(text).toMatch(/^Declined\s+1$/m);
    expect(text).toMatch(/Approved \(2\)\s+\$12\.50/);
    expect(text).toContain('[license_expired]');
    expect(Math.max(...(job?.lines ?? []).map((l) => l.length))).toBeLessThanOrEqual(32);
    // Exactly what the screen showed.
    expect((await paper.innerText()).split('\n').filter((l) => l !== '')).toEqual(job?.lines.filter((l) => l !== ''));
  }

  // Later, the closed day's Z report is shown again as it was made, and reprinted the same.
  const closed = (await report.getAttribute('data-business-date')) ?? '';
  await page.getByTestId('x-report-button').click();
  await expect(report).toHaveAttribute('data-kind', 'X');
  await page.getByTestId('z-report-date').fill(closed);
  await page.getByTestId('z-report-show').click();
  await expect(report).toHaveAttribute('data-kind', 'Z');
  await expect(page.getByTestId('report-z-number')).toHaveAttribute('data-z-number', '1');
  await page.getByTestId('report-print').click();
  await expect(page.getByTestId('report-print-result')).toBeVisible();
  if (cashier.mode === 'harness') {
    const printed = cashier.printed();
    expect(printed).toHaveLength(2);
    expect(printed[1]).toEqual(printed[0]);
  }

  const closedDay = await report.getAttribute('data-business-date');
  const x = await cashier.call('xReport', { businessDate: closedDay ?? undefined });
  expect(x).toMatchObject({ counts: { approved: 2, declined: 1, voided: 0 }, demo: true });
  expect(x.demoTotals).toEqual([expect.objectContaining({ currency: 'USD', approvedTotal: 1250, netTotal: 1250 })]);
  expect(x.totals).toEqual([]);
});

test('export: the day goes to the chosen folder and its files pass verify-export', async ({ cashier }) => {
  const { page } = cashier;
  await approvedSale(cashier, '1234');
  await charge(page, '5678');
  await cashier.phone.tap('bad-signature');
  await decided(page, 'declined');
  await liftPhone(cashier);
  await dismiss(page);

  await openManager(cashier);
  await page.getByTestId('manager-tab-export').click();
  await page.getByTestId('export-button').click();
  const result = page.getByTestId('export-result');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('export-folder')).toContainText(cashier.exportDir);
  await expect(page.getByTestId('export-files').locator('li')).toHaveCount(4);
  await cashier.screenshot('export');

  // Settlement's own check, run on the files the manager handed over.
  const files = (await page.getByTestId('export-files').locator('li').allTextContents()).map((f) => f.trim());
  const manifest = files.find((f) => f.endsWith('.manifest.json'));
  const csv = files.find((f) => f.endsWith('.csv') && !f.endsWith('-items.csv'));
  expect(manifest && csv).toBeTruthy();
  const absolute = (f: string) => (path.isAbsolute(f) ? f : path.join(cashier.exportDir, f));
  const trustStore = path.join(cashier.dataDir, 'terminal', 'trust-store.json');
  const verified = await verifyExportCli(absolute(manifest ?? ''), trustStore);
  expect(verified.output).toContain('OK');
  expect(verified.code).toBe(0);

  // One changed byte in the accountants' CSV and the same check fails.
  const csvPath = absolute(csv ?? '');
  const text = readFileSync(csvPath, 'utf8');
  writeFileSync(csvPath, text.replace('12.34', '12.35'));
  const tampered = await verifyExportCli(absolute(manifest ?? ''), trustStore);
  expect(tampered.code).toBe(1);
});

test('export: the verification result is said in the interface language', async ({ cashier }) => {
  const { page } = cashier;
  const zh = JSON.parse(readFileSync(path.join(REPO_ROOT, 'resources/i18n/zh-CN/ui.json'), 'utf8')) as Record<string, string>;
  const fill = (key: string, vars: Record<string, string | number>) =>
    (zh[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(page.getByTestId('app')).toHaveAttribute('data-language', 'zh-CN');
  await approvedSale(cashier, '880');

  await openManager(cashier);
  await page.getByTestId('manager-tab-export').click();
  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-verification')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('export-verdict')).toHaveText(fill('export.verified', { n: 1 }));
  await expect(page.getByTestId('export-summary')).toHaveText(
    fill('export.summary', { rows: 1, transactions: 1, approvals: 1, licenses: 1, problems: 0 }),
  );
  const fingerprint = (await page.getByTestId('export-signed-by').textContent())?.match(/[0-9A-F]{4}( [0-9A-F]{4})+/)?.[0] ?? '';
  expect(fingerprint).not.toBe('');
  await expect(page.getByTestId('export-signed-by')).toHaveText(fill('export.signedBy', { fingerprint }));
  // Nothing of main's English summary is left on the screen.
  await expect(page.getByTestId('export-verification')).not.toContainText('OK:');
  await expect(page.getByTestId('export-verification')).not.toContainText('transactions');
  await cashier.screenshot('export-zh');
});
