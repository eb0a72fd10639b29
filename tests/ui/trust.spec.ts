// Trust store administration: an authority key made with the authority tools is previewed with
// its fingerprint, confirmed, listed, used to accept a revocation list, and retired.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliProcess } from '../support/cli-process';
import { expect, test } from './fixtures';
import { openManager } from './flows';

const DAY = 86_400_000;

async function cli(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runCliProcess(args);
  if (code !== 0) throw new Error(`npm run cli -- ${args.join(' ')}: exit ${code}: ${stderr}`);
  return stdout;
}

test('trust store: import a key after checking its fingerprint, accept its revocation list, retire it', async ({ cashier }) => {
  const { page } = cashier;
  const dir = mkdtempSync(path.join(tmpdir(), 'authority-'));
  try {
    const key = path.join(dir, 'authority.key');
    // Valid from the terminal's yesterday (whole days: the preview shows the dates) for ten years.
    const today = Math.floor(cashier.now() / DAY) * DAY;
    const validity = ['--not-before', new Date(today - DAY).toISOString(), '--not-after', new Date(today + 3650 * DAY).toISOString()];
    await cli('authority', 'create', '--kid', 'store-auth-1', '--key', key, '--name', 'Store Credit Co', ...validity);
    const entryText = await cli('authority', 'export-trust', '--key', key);
    const entry = JSON.parse(entryText) as { kid: string; fingerprint: string };
    await cli('authority', 'revoke', '--key', key, '--sequence', '1', '--serial', 'S-REVOKED-1', '--out', path.join(dir, 'crl.json'));
    const crlText = readFileSync(path.join(dir, 'crl.json'), 'utf8');

    await openManager(cashier);
    await page.getByTestId('manager-tab-trust').click();
    await expect(page.locator('[data-testid="trust-row"][data-kid="demo-main"]')).toBeVisible();

    await page.getByTestId('trust-text').fill(entryText);
    await page.getByTestId('trust-preview-text').click();
    await expect(page.getByTestId('trust-preview')).toHaveAttribute('data-kid', 'store-auth-1');
    await expect(page.getByTestId('trust-preview-fingerprint')).toHaveText(entry.fingerprint);
    await cashier.screenshot('trust-preview');
    await page.getByTestId('trust-confirm').click();
    await expect(page.getByTestId('trust-added')).toBeVisible();
    const row = page.locator('[data-testid="trust-row"][data-kid="store-auth-1"]');
    await expect(row).toHaveAttribute('data-retired', 'false');
    expect(await cashier.call('listTrustKeys')).toContainEqual(
      expect.objectContaining({ kid: 'store-auth-1', fingerprint: entry.fingerprint, status: 'active', demo: false }),
    );

    await page.getByTestId('crl-text').fill(crlText);
    await page.getByTestId('crl-import-text').click();
    await expect(page.getByTestId('crl-result')).toBeVisible();

    await row.getByTestId('trust-retire').click();
    await page.getByTestId('retire-confirm').click();
    await expect(row).toHaveAttribute('data-retired', 'true');
    await cashier.screenshot('trust');
    expect(await cashier.call('listTrustKeys')).toContainEqual(expect.objectContaining({ kid: 'store-auth-1', status: 'retired' }));
    // Previewing the same entry again says it is already in the store.
    const preview = await cashier.call('previewTrustKey', { text: entryText });
    if (preview.cancelled) throw new Error('preview was cancelled');
    expect(preview.preview.alreadyPresent).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trust store: a revoked authority key is shown as revoked, a retired one as retired', async ({ cashier }) => {
  const { page } = cashier;
  const dir = mkdtempSync(path.join(tmpdir(), 'authority-'));
  try {
    const key = path.join(dir, 'authority.key');
    // Valid from the terminal's yesterday: documented screens run on a fixed clock in the past.
    const today = Math.floor(cashier.now() / DAY) * DAY;
    const validity = ['--not-before', new Date(today - DAY).toISOString(), '--not-after', new Date(today + 3650 * DAY).toISOString()];
    await cli('authority', 'create', '--kid', 'leaked-auth-1', '--key', key, '--name', 'Leaked Credit Co', ...validity);
    const entryText = await cli('authority', 'export-trust', '--key', key);
    // The authority announces that its own key leaked: the list revokes the key by kid.
    await cli('authority', 'revoke', '--key', key, '--sequence', '1', '--revoke-kid', 'leaked-auth-1', '--out', path.join(dir, 'crl.json'));
    const crlText = readFileSync(path.join(dir, 'crl.json'), 'utf8');

    await openManager(cashier);
    await page.getByTestId('manager-tab-trust').click();
    await page.getByTestId('trust-text').fill(entryText);
    await page.getByTestId('trust-preview-text').click();
    await page.getByTestId('trust-confirm').click();
    const row = page.locator('[data-testid="trust-row"][data-kid="leaked-auth-1"]');
    await expect(row.getByTestId('trust-state')).toHaveText(/Active/);

    await page.getByTestId('crl-text').fill(crlText);
    await page.getByTestId('crl-import-text').click();
    await expect(page.getByTestId('crl-result')).toBeVisible();
    expect(await cashier.call('listTrustKeys')).toContainEqual(expect.objectContaining({ kid: 'leaked-auth-1', status: 'revoked' }));
    await expect(row).toHaveAttribute('data-status', 'revoked');
    await expect(row.getByTestId('trust-state')).toHaveText(/Revoked/);
    await expect(row.getByTestId('trust-state')).not.toHaveText(/Active/);

    const demo = page.locator('[data-testid="trust-row"][data-kid="demo-main"]');
    await demo.getByTestId('trust-retire').click();
    await page.getByTestId('retire-confirm').click();
    await expect(demo).toHaveAttribute('data-status', 'retired');
    await expect(demo.getByTestId('trust-state')).toHaveText(/Retired/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
