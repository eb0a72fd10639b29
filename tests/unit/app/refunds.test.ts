import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TRIES, openPinService, type PinService } from '../../../src-main/app/pin';
import { refundSale, type RefundDeps, type RefundRequest, type TapOutcome } from '../../../src-main/app/refunds';
import type { Ledger } from '../../../src-main/ledger/ledger';
import { makeResult, openTestLedger, tempDir, txId } from '../ledger/fixtures';

const PIN = '2468';
const kdf = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 };

describe('refund authorisation and the customer tap (app/refunds.ts)', () => {
  let cleanup: () => void;
  let ledger: Ledger;
  let pin: PinService;
  let limit = 0;
  let deps: RefundDeps;

  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    ledger = openTestLedger(t.dir);
    pin = openPinService({ dataDir: t.dir, kdf });
    await pin.setInitial(PIN);
    limit = 0;
    deps = { ledger, pin, cashierLimit: () => limit, newId: () => 'ab'.repeat(16) };
    ledger.record(makeResult({ n: 1, amount: 1000 }));
  });
  afterEach(() => {
    ledger.close();
    cleanup();
  });

  const refund = (request: Partial<RefundRequest>) =>
    refundSale(deps, { transactionId: txId(1), amount: 100, authority: { kind: 'manager-session' }, ...request });

  it('the manager session or PIN authorises any amount up to the remainder', async () => {
    expect(await refund({})).toMatchObject({ ok: true, authorisedBy: 'manager', tapped: false, refund: { remainder: 900 } });
    expect(await refund({ authority: { kind: 'pin', pin: PIN }, amount: 900 })).toMatchObject({ ok: true, authorisedBy: 'manager' });
    expect(await refund({ amount: 1 })).toMatchObject({ ok: false, reason: 'over_remainder' });
  });

  it('a cashier needs an allowance, and stays within it', async () => {
    expect(await refund({ authority: { kind: 'cashier' } })).toMatchObject({ ok: false, reason: 'pin_required' });
    limit = 150;
    expect(await refund({ authority: { kind: 'cashier' }, amount: 151 })).toMatchObject({ ok: false, reason: 'over_cashier_limit' });
    const done = await refund({ authority: { kind: 'cashier' }, amount: 150 });
    expect(done).toMatchObject({ ok: true, authorisedBy: 'cashier' });
    expect(done.ok && ledger.getAttempt(done.refund.transactionId)?.operator).toBe('cashier');
  });

  it('a wrong PIN is refused and counted; too many lock it', async () => {
    expect(await refund({ authority: { kind: 'pin', pin: '0000' } })).toMatchObject({ ok: false, reason: 'wrong_pin' });
    for (let i = 1; i < MAX_TRIES; i++) await refund({ authority: { kind: 'pin', pin: '0000' } });
    expect(await refund({ authority: { kind: 'pin', pin: PIN } })).toMatchObject({ ok: false, reason: 'pin_locked' });
    expect(pin.audit().some((e) => e.purpose === 'refund')).toBe(true);
    expect(ledger.refundable(txId(1)).refunds).toEqual([]);
  });

  it('asks for the tap only once the refund is allowed, naming the refund; refuses another account or a failed tap', async () => {
    const asked: unknown[] = [];
    const tapOf = (outcome: TapOutcome) => async (order: unknown) => {
      asked.push(order);
      return outcome;
    };
    const verified = (accountId: string): TapOutcome => ({
      ok: true,
      tap: {
        accountId,
        licenseSerial: 'LIC-2',
        authorityKid: 'authority-1',
        paymentRequest: Uint8Array.of(1),
        paymentResponse: Uint8Array.of(2),
        license: Uint8Array.of(3),
      },
    });
    expect(await refund({ amount: 5000, tap: tapOf(verified('acct-1001')) })).toMatchObject({ ok: false, reason: 'over_remainder' });
    expect(await refund({ authority: { kind: 'cashier' }, tap: tapOf(verified('acct-1001')) })).toMatchObject({
      ok: false,
      reason: 'pin_required',
    });
    expect(asked).toEqual([]);
    expect(await refund({ tap: tapOf(verified('acct-9999')) })).toMatchObject({ ok: false, reason: 'tap_other_account' });
    expect(await refund({ tap: tapOf({ ok: false, detail: 'license_expired: …' }) })).toMatchObject({ ok: false, reason: 'tap_failed' });
    const done = await refund({ tap: tapOf(verified('acct-1001')) });
    expect(done).toMatchObject({ ok: true, tapped: true, refund: { transactionId: 'ab'.repeat(16), remainder: 900 } });
    expect(asked.at(-1)).toEqual({ transactionId: 'ab'.repeat(16), amount: 100, currency: 'CNY' });
    const row = ledger.getAttempt('ab'.repeat(16));
    expect(row).toMatchObject({ licenseSerial: 'LIC-1', accountId: 'acct-1001' });
    expect([...(row?.license ?? [])]).toEqual([3]);
  });

  it('refusals of the ledger keep their stable codes', async () => {
    expect(await refund({ transactionId: txId(7) })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await refund({ amount: 0 })).toMatchObject({ ok: false, reason: 'invalid_amount' });
    expect(await refund({ currency: 'USD' })).toMatchObject({ ok: false, reason: 'other_currency' });
    ledger.record(makeResult({ n: 2, amount: 500, declined: 'license_expired' }));
    expect(await refund({ transactionId: txId(2) })).toMatchObject({ ok: false, reason: 'not_approved' });
    const done = await refund({});
    expect(done.ok && (await refund({ transactionId: done.refund.transactionId }))).toMatchObject({ ok: false, reason: 'not_a_sale' });
    // With a tap, the same rules answer before the customer is asked.
    const tap = async (): Promise<TapOutcome> => ({ ok: false, detail: 'never asked' });
    expect(await refund({ transactionId: txId(2), tap })).toMatchObject({ ok: false, reason: 'not_approved' });
  });

  it('a ledger that cannot record answers cannot_record with its code', async () => {
    ledger.close();
    expect(await refund({})).toMatchObject({ ok: false, reason: 'cannot_record', detail: expect.stringMatching(/^LEDGER_CLOSED: /) });
  });
});
