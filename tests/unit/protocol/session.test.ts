import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../../src-main/domain/reasons';
import { SCENARIOS, SCENARIO_NAMES } from '../../../src-main/wallet/scenarios';
import { createDemoEnvironment } from '../../../src-main/wallet/demo';
import { PhoneWallet } from '../../../src-main/wallet/phone-wallet';
import { memoryCounterStore } from '../../../src-main/wallet/counter-store';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import type { CardChannel } from '../../../src-main/transport/channel';
import { MemoryHistory, NOW, demo, order, tap, verificationFor } from './helpers';

describe('terminal session with the reference wallet', () => {
  it('approves a good phone end to end and keeps every message', async () => {
    const env = demo();
    const result = await tap(env, 'approve');
    expect(result.decision).toMatchObject({
      outcome: 'approved',
      facts: { licenseSerial: 'demo-approve', appCounter: 1, authorityKid: 'demo-main' },
    });
    const { exchange } = result;
    for (const part of [
      'paymentRequest',
      'paymentResponse',
      'license',
      'deductionRequest',
      'paymentAuthorization',
      'authorization',
    ] as const) {
      expect(exchange[part]?.length, part).toBeGreaterThan(0);
    }
    expect(result.apduCount).toBeGreaterThanOrEqual(3);
  });

  it.each(SCENARIO_NAMES)('scenario %s ends as its catalogue entry says', async (name) => {
    const result = await tap(demo(), name);
    const expected = SCENARIOS[name].expect;
    if (expected.outcome === 'approved') expect(result.decision.outcome, JSON.stringify(result.decision)).toBe('approved');
    else expect(result.decision).toMatchObject({ outcome: 'declined', reason: expected.reason });
  });

  it('counts up across taps and declines a second use of the same counter', async () => {
    const env = demo();
    const history = new MemoryHistory();
    expect((await tap(env, 'approve', history)).decision.facts.appCounter).toBe(1);
    expect((await tap(env, 'approve', history)).decision.facts.appCounter).toBe(2);
    // Same license, a phone clone that did not see counter 2.
    history.record({ ...(await tap(env, 'approve', history)) });
    const clone = demo();
    const replay = await tap(clone, 'approve', history);
    expect(replay.decision).toMatchObject({ outcome: 'declined', reason: 'counter_replayed' });
  });

  it('declines past the offline limit counting what the license already spent here', async () => {
    const env = demo();
    const history = new MemoryHistory();
    expect((await tap(env, 'approve', history, { order: order({ amount: 60_000 }) })).decision.outcome).toBe('approved');
    const second = await tap(env, 'approve', history, { order: order({ amount: 50_000 }) });
    expect(second.decision).toMatchObject({ outcome: 'declined', reason: 'offline_limit_exceeded' });
  });

  it('ends with cancelled when the cashier cancels during the exchange', async () => {
    const controller = new AbortController();
    const pending = tap(demo(), 'silent', new MemoryHistory(), { signal: controller.signal, stepTimeoutMs: 10_000 });
    setTimeout(() => controller.abort(), 20);
    expect((await pending).decision).toMatchObject({ outcome: 'declined', reason: 'cancelled' });
  });

  it('reaches every decline reason the phone can cause through some scenario', () => {
    const reached = new Set(Object.values(SCENARIOS).flatMap((s) => (s.expect.outcome === 'declined' ? [s.expect.reason] : [])));
    const terminalOnly = new Set(['multiple_cards', 'cannot_record', 'cancelled', 'wait_timeout']);
    expect(REASON_CODES.filter((code) => !reached.has(code) && !terminalOnly.has(code))).toEqual([]);
  });

  it('ends with step_timeout when a phone answers slower than the step timeout', async () => {
    const env = createDemoEnvironment({ now: NOW, seed: 'protocol-tests' });
    const slowPhone = new PhoneWallet({
      credentials: env.credentialsFor('approve'),
      counter: memoryCounterStore(),
      misbehaviour: { replyDelayMs: 400 },
    });
    const channel = walletChannel(slowPhone);
    channel.tap();
    const result = await runTerminalSession({
      channel,
      order: order(),
      verification: verificationFor(env, new MemoryHistory()),
      random: (n) => new Uint8Array(n),
      stepTimeoutMs: 100,
    });
    expect(result.decision).toMatchObject({ outcome: 'declined', reason: 'step_timeout' });
    expect(result.exchange.paymentRequest?.length).toBeGreaterThan(0);
    expect(result.exchange.paymentResponse).toBeUndefined();
  });

  it('ends with card_removed when the phone leaves during GET RESPONSE', async () => {
    const env = demo();
    // A reader that asks for 64-byte pieces, so each reply needs a GET RESPONSE.
    const inSmallPieces = (phone: PhoneWallet, log: number[] = []): CardChannel => {
      const inner = walletChannel(phone);
      inner.tap();
      return {
        transmit: (apdu, timeoutMs) => {
          log.push(apdu[1] ?? 0);
          const exchange = apdu[0] === 0x80 && apdu[1] === 0x10;
          return inner.transmit(exchange ? Uint8Array.of(...apdu.subarray(0, -1), 0x40) : apdu, timeoutMs);
        },
      };
    };
    const run = (channel: CardChannel) =>
      runTerminalSession({
        channel,
        order: order(),
        verification: verificationFor(env, new MemoryHistory()),
        random: (n) => new Uint8Array(n),
        stepTimeoutMs: 1000,
      });
    const phone = (misbehaviour: { vanishAtApdu?: number }) =>
      new PhoneWallet({ credentials: env.credentialsFor('approve'), counter: memoryCounterStore(), misbehaviour });

    const log: number[] = [];
    expect((await run(inSmallPieces(phone({}), log))).decision.outcome).toBe('approved');
    expect(log).toEqual([0xa4, 0x10, 0xc0, 0x10, 0xc0]);

    const gone = await run(inSmallPieces(phone({ vanishAtApdu: 3 })));
    expect(gone.decision).toMatchObject({ outcome: 'declined', reason: 'card_removed' });
    expect(gone.apduCount).toBe(3); // SELECT, EXCHANGE, the GET RESPONSE the phone left on
  });

  it('refuses an oversized reply on its first APDU, from the size its SNEP header announces', async () => {
    const result = await tap(demo(), 'oversized');
    expect(result.decision).toMatchObject({ outcome: 'declined', reason: 'message_too_large' });
    expect(result.apduCount).toBe(2);
  });

  it('keeps the raw bytes of every message of a declined exchange', async () => {
    const result = await tap(demo(), 'wrong-amount');
    expect(result.decision).toMatchObject({ outcome: 'declined', reason: 'amount_mismatch' });
    for (const part of ['paymentRequest', 'paymentResponse', 'license', 'deductionRequest', 'paymentAuthorization'] as const) {
      expect(result.exchange[part]?.length, part).toBeGreaterThan(0);
    }
  });
});
