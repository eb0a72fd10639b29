import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../../src-main/domain/reasons';
import { SCENARIOS, SCENARIO_NAMES } from '../../../src-main/wallet/scenarios';
import { MemoryHistory, demo, order, tap } from './helpers';

describe('terminal session with the reference wallet', () => {
  it('approves a good phone end to end and keeps every message', async () => {
    const env = demo();
    const result = await tap(env, 'approve');
    expect(result.decision).toMatchObject({ outcome: 'approved', facts: { licenseSerial: 'demo-approve', appCounter: 1, authorityKid: 'demo-main' } });
    const { exchange } = result;
    for (const part of ['paymentRequest', 'paymentResponse', 'license', 'deductionRequest', 'paymentAuthorization', 'authorization'] as const) {
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
});
