// Whole payments through the real PC/SC stack: payment controller -> PC/SC reader service ->
// nfc-pcsc -> libpcsclite -> pcscd -> vsmartcard's virtual reader -> the reference wallet as a
// virtual phone (in this process through VpcdCard, or as `wallet serve --vpcd` child process),
// with the real session, pipeline and a real ledger file.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentController, PaymentEvent } from '../../../src-main/checkout/types';
import { createPcscReaderService } from '../../../src-main/reader/pcsc-reader-service';
import type { ReaderService } from '../../../src-main/reader/reader-service';
import { ATR_MIFARE_CLASSIC_1K, VpcdCard } from '../../../src-main/reader/vpcd-card';
import { memoryCounterStore } from '../../../src-main/wallet/counter-store';
import { PhoneVanishedError, PhoneWallet } from '../../../src-main/wallet/phone-wallet';
import type { ScenarioName } from '../../../src-main/wallet/scenarios';
import { createCheckoutWorld, nextEvent, stagesOf, type CheckoutWorld } from '../../support/checkout-world';
import { VPCD_PORTS, pcscdReachable, startVirtualPhone, usePcscd, waitFor, type Pcscd } from '../../support/pcscd';

const foreignPcscd = await pcscdReachable();
let pcscd: Pcscd;
let world: CheckoutWorld;
let reader: ReaderService;
let controller: PaymentController;
const phones: VpcdCard[] = [];

beforeAll(async () => {
  pcscd = await usePcscd();
});

afterAll(async () => {
  await pcscd.release();
});

beforeEach(async () => {
  world = createCheckoutWorld({ stepTimeoutMs: 1_500 });
  reader = createPcscReaderService({ retryMinMs: 100, retryMaxMs: 500 });
  controller = world.controller(reader);
  await waitFor(() => reader.status().state === 'ready', 'the reader service');
});

afterEach(async () => {
  await Promise.all(phones.splice(0).map((phone) => phone.close()));
  if (reader.status().state !== 'no-service') {
    await waitFor(() => reader.presentCards().length === 0, 'empty readers');
  }
  await controller.close();
  await reader.close();
  await world.close();
});

/**
 * The scenario's wallet as a virtual phone on a vpcd slot. Like a real phone, a wallet that
 * "vanishes" leaves the field in the middle of the command.
 */
async function phoneOn(scenario: ScenarioName | PhoneWallet, options: { port?: number; atr?: Uint8Array } = {}): Promise<VpcdCard> {
  const wallet = typeof scenario === 'string' ? world.env.walletFor(scenario) : scenario;
  const phone: VpcdCard = new VpcdCard({
    ...options,
    onReset: () => wallet.reset(),
    handler: async (apdu) => {
      try {
        return await wallet.handleApdu(apdu);
      } catch (error) {
        if (!(error instanceof PhoneVanishedError)) throw error;
        void phone.close();
        return new Promise<Uint8Array>(() => undefined);
      }
    },
  });
  wallet.reset();
  await phone.connect();
  phones.push(phone);
  return phone;
}

type Decided = Extract<PaymentEvent, { type: 'decision' }>;
const decision = (): Promise<Decided> => nextEvent(controller, (event) => event.type === 'decision') as Promise<Decided>;
const notice = (): Promise<PaymentEvent> => nextEvent(controller, (event) => event.type === 'notice');

async function pay(scenario: ScenarioName, amount = 1000): Promise<{ id: string; event: Decided }> {
  const decided = decision();
  const id = controller.start({ amount });
  await phoneOn(scenario);
  return { id, event: await decided };
}

describe('payments over pcscd and the virtual phone', () => {
  it('approves with the virtual phone served by `wallet serve --vpcd`, then sees the phone leave', async () => {
    const decided = decision();
    const id = controller.start({ amount: 1234 });
    const phone = await startVirtualPhone({ scenario: 'approve' });
    try {
      const event = await decided;
      expect(event.decision.outcome).toBe('approved');
      expect(event.result?.apduCount).toBeGreaterThanOrEqual(3);
      expect(world.ledger.getAttempt(id)).toMatchObject({ status: 'approved', amount: 1234 });
      await waitFor(() => reader.status().state === 'remove-phone', 'remove-phone status');
      const finished = nextEvent(controller, (e) => e.type === 'finished');
      await phone.stop();
      await finished;
      expect(stagesOf(world.events, id)).toEqual(['present-phone', 'processing', 'approved', 'remove-phone']);
      await waitFor(() => reader.status().state === 'ready', 'ready after the phone left');
    } finally {
      await phone.stop();
    }
  });

  it.each([
    ['garbled', 'malformed_snep'],
    ['expired-license', 'license_expired'],
    ['unknown-authority', 'unknown_authority'],
    ['wrong-amount', 'amount_mismatch'],
    ['der-signature', 'signature_der_encoded'],
    ['oversized', 'message_too_large'],
  ] as const)('declines %s with %s and records it', async (scenario, reason) => {
    const { id, event } = await pay(scenario);
    expect(event.decision).toMatchObject({ outcome: 'declined', reason });
    expect(world.ledger.getAttempt(id)).toMatchObject({ status: 'declined', reason });
  });

  it('declines a phone that approved and then replays its counter', async () => {
    expect((await pay('approve')).event.decision.outcome).toBe('approved');
    await phones.pop()!.close();
    await waitFor(() => reader.presentCards().length === 0, 'the phone to leave');
    // A clone: same license and key, a copy of the counter, signing the last counter again.
    const original = world.env.walletFor('approve');
    const clone = new PhoneWallet({
      credentials: world.env.credentialsFor('approve'),
      counter: memoryCounterStore(original.lastCounter),
      misbehaviour: { reuseCounter: true },
    });
    const decided = decision();
    controller.start({ amount: 1000 });
    await phoneOn(clone);
    expect((await decided).decision).toMatchObject({ outcome: 'declined', reason: 'counter_replayed' });
  });

  it('keeps the sale open for a locked phone, a phone without the app and a MIFARE tag', async () => {
    const id = controller.start({ amount: 100 });
    let next = notice();
    const locked = await phoneOn('locked');
    expect(await next).toMatchObject({ reason: 'see_phone' });
    expect(controller.snapshot().stage).toBe('see-phone');
    await locked.close();
    next = notice();
    const noApp = await phoneOn('not-payment-app');
    expect(await next).toMatchObject({ reason: 'not_payment_phone' });
    await noApp.close();
    next = notice();
    const tag = await phoneOn('approve', { atr: ATR_MIFARE_CLASSIC_1K });
    expect(await next).toMatchObject({ reason: 'not_payment_phone' });
    await tag.close();
    const decided = decision();
    await phoneOn('approve');
    expect((await decided).decision.outcome).toBe('approved');
    expect(world.ledger.getAttempt(id)?.status).toBe('approved');
  });

  it('ignores a phone removed before the sale starts, and uses the next tap', async () => {
    const early = await phoneOn('approve');
    await waitFor(() => reader.presentCards().length === 1, 'the early phone');
    await early.close();
    await waitFor(() => reader.presentCards().length === 0, 'the early phone to leave');
    const { event } = await pay('approve');
    expect(event.decision.outcome).toBe('approved');
  });

  it('declines card_removed when the phone leaves between the APDUs (after SELECT, at the deduction)', async () => {
    for (const scenario of ['removed-early', 'removed-late'] as const) {
      const { id, event } = await pay(scenario);
      expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'card_removed' });
      expect(world.ledger.getAttempt(id)).toMatchObject({ reason: 'card_removed' });
      await waitFor(() => reader.presentCards().length === 0, 'the phone to be gone');
    }
  });

  it('declines step_timeout for a phone that stops answering', async () => {
    const { event } = await pay('silent');
    expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'step_timeout' });
  });

  it('asks for one phone when phones lie on both readers', async () => {
    await phoneOn('approve', { port: VPCD_PORTS[0] });
    await phoneOn('approve', { port: VPCD_PORTS[1] });
    await waitFor(() => reader.presentCards().length === 2, 'two phones');
    const next = notice();
    controller.start({ amount: 100 });
    expect(await next).toMatchObject({ reason: 'multiple_cards' });
    expect(controller.cancel()).toBe(true);
  });

  it.skipIf(foreignPcscd)('declines reader_error when pcscd stops during the exchange, then approves after it is back', async () => {
    // A phone that stops answering after SELECT holds the exchange open until pcscd goes away.
    world.settings.stepTimeoutMs = 15_000;
    const decided = decision();
    const processing = nextEvent(controller, (e) => e.type === 'stage' && e.stage === 'processing');
    const id = controller.start({ amount: 100 });
    const phone = await phoneOn('silent');
    await processing;
    await waitFor(() => phone.apduCount >= 2, 'the exchange to reach the silent step');
    await pcscd.stop();
    const event = await decided;
    expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'reader_error' });
    expect(world.ledger.getAttempt(id)).toMatchObject({ reason: 'reader_error' });
    await waitFor(() => reader.status().state === 'no-service', 'no-service');
    phones.splice(0);
    await pcscd.start();
    await waitFor(() => reader.status().state === 'ready', 'ready after the restart');
    expect((await pay('approve')).event.decision.outcome).toBe('approved');
  });

  it.skipIf(foreignPcscd)('approves before and after pcscd restarts between payments, and waits through the outage', async () => {
    expect((await pay('approve')).event.decision.outcome).toBe('approved');
    await phones.pop()!.close();
    await waitFor(() => reader.presentCards().length === 0, 'the phone to leave');
    await pcscd.stop();
    await waitFor(() => reader.status().state === 'no-service', 'no-service');
    // A sale started while the service is down waits for it (and for the phone).
    const decided = decision();
    controller.start({ amount: 300 });
    await pcscd.start();
    await waitFor(() => reader.status().state === 'ready', 'ready after the restart');
    await phoneOn('approve');
    expect((await decided).decision.outcome).toBe('approved');
  });

  it.skipIf(foreignPcscd)(
    'keeps a served virtual phone across a pcscd restart',
    async () => {
      const phone = await startVirtualPhone({ scenario: 'approve' });
      try {
        await waitFor(() => reader.presentCards().length === 1, 'the served phone');
        await pcscd.stop();
        await waitFor(() => phone.output.some((line) => line.includes('"reason":"pcscd closed the connection"')), 'the phone to notice');
        await pcscd.start();
        await waitFor(
          () => phone.output.filter((line) => line.includes('"event":"present"')).length === 2,
          'the phone back on the reader',
          20_000,
        );
        await waitFor(() => reader.status().state !== 'no-service', 'the reader service back');
        const decided = decision();
        controller.start({ amount: 100 });
        expect((await decided).decision.outcome).toBe('approved');
      } finally {
        await phone.stop();
      }
    },
    90_000,
  );
});
