// "Send to settlement" on the manager's export screen against a real settlement service on
// loopback: offline with no address, the address set in Settings, an open day held back, a
// refusal while the terminal is not enrolled, stored, already held, a newer signed revocation
// list taken from the answer, and the service gone (unreachable: nothing lost, the day stays).
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { expect, test } from './fixtures';
import { approvedSale, openManager } from './flows';
import type * as ServiceModule from './settlement-service';

async function startService() {
  const module = (await tsImport('./settlement-service.ts', import.meta.url)) as typeof ServiceModule;
  return module.startSettlementService();
}

// A whole settlement round trip (a service, several uploads with verification): give it room.
test.slow();

test('send to settlement: offline, open day, refused, stored, already held, new revocation list, unreachable', async ({ cashier }) => {
  const { page } = cashier;
  const service = await startService();
  const terminalDir = path.join(cashier.dataDir, 'terminal');
  try {
    await approvedSale(cashier, '1250');
    await openManager(cashier);

    // No address: the terminal works offline and says how to settle.
    await page.getByTestId('manager-tab-export').click();
    await expect(page.getByTestId('settlement-send-button')).toBeDisabled();
    await expect(page.getByTestId('settlement-address-note')).toContainText('No settlement address is set');
    await cashier.screenshot('settlement-no-address');

    await page.getByTestId('manager-tab-settings').click();
    await page.getByTestId('settings-settlement-address').fill('ftp://nowhere');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-problem')).toBeVisible();
    await page.getByTestId('settings-settlement-address').fill(service.url);
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-saved')).toBeVisible();
    expect((await cashier.call('getSettings')).settlementAddress).toBe(service.url);

    // The day is still open: nothing is sent.
    await page.getByTestId('manager-tab-export').click();
    const send = page.getByTestId('settlement-send-button');
    const result = page.getByTestId('settlement-result');
    await send.click();
    await expect(result).toHaveAttribute('data-outcome', 'day_open');
    expect(await service.daysHeld()).toBe(0);

    const closed = await cashier.call('closeDay');
    await send.click();
    await expect(result).toHaveAttribute('data-outcome', 'refused');
    await expect(result).toHaveAttribute('data-code', 'UNKNOWN_TERMINAL_KEY');
    await expect(page.getByTestId('settlement-reason')).toContainText('not enrolled at the settlement desk');
    await cashier.screenshot('settlement-refused');
    expect(await service.daysHeld()).toBe(0);

    await service.enrol(terminalDir, 'T-01', 'M-1001');
    await send.click();
    await expect(result).toHaveAttribute('data-outcome', 'stored');
    await expect(page.getByTestId('settlement-verdict')).toContainText('stored it');
    await cashier.screenshot('settlement-stored');
    expect(await service.daysHeld()).toBe(1);

    // The same day again: the service already holds it; a newer signed list comes back with it.
    await service.publishDemoList(terminalDir, 2, 'demo-cloned-0001');
    await send.click();
    await expect(result).toHaveAttribute('data-outcome', 'already_held');
    await expect(page.getByTestId('settlement-revocations')).toHaveAttribute('data-outcome', 'imported');
    await cashier.screenshot('settlement-already-held');
    expect(await service.daysHeld()).toBe(1);
    await send.click();
    await expect(page.getByTestId('settlement-revocations')).toHaveAttribute('data-outcome', 'not_newer');

    // The service goes away: a clear message, and the day is still in the terminal.
    await service.close();
    await send.click();
    await expect(result).toHaveAttribute('data-outcome', 'unreachable');
    await expect(result).toHaveAttribute('data-code', 'network');
    await cashier.screenshot('settlement-unreachable');
    const log = await cashier.call('listLog', { businessDate: closed.businessDate, status: 'approved' });
    expect(log.total).toBe(1);
  } finally {
    await service.close();
  }
});
