// Which facts of a declined payment are the authority's word and which only the phone's claim:
// `licenseVerified` through the full session with the reference wallet, for every scenario,
// and in the re-verification of a recorded exchange.
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES, type ScenarioName } from '../../../src-main/wallet/scenarios';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { verifyExchange } from '../../../src-main/verification/pipeline';
import { MemoryHistory, demo, tap, verificationFor } from './helpers';

/** License read, but its facts are the phone's claim: declined at or before the license signature. */
const CLAIMED: ReadonlySet<ScenarioName> = new Set(['unknown-authority', 'retired-authority', 'tampered-license', 'revoked-authority']);
/** Declined before any license was read. */
const NO_LICENSE: ReadonlySet<ScenarioName> = new Set([
  'removed-early',
  'silent',
  'not-payment-app',
  'locked',
  'reader-fault',
  'oversized',
  'bad-apdu',
  'garbled',
  'bad-ndef',
  'bad-cbor',
  'bad-message',
]);
/** The authorization's signature verified (so its counter is a fact). */
const SIGNED_AUTHORIZATION: ReadonlySet<ScenarioName> = new Set([
  'approve',
  'high-s',
  'slow',
  'wrong-transaction',
  'wrong-amount',
  'wrong-currency',
  'wrong-merchant',
  'wrong-terminal',
  'stale-nonce',
  'wrong-license-hash',
  'wrong-transcript',
  'replayed-counter',
  'counter-jump',
  'over-limit',
]);

describe('license facts on declines', () => {
  it.each(SCENARIO_NAMES)('%s: licenseVerified says whether the license facts are verified', async (name) => {
    const { decision } = await tap(demo(), name);
    const { facts } = decision;
    if (NO_LICENSE.has(name)) {
      expect(facts.licenseVerified).toBeUndefined();
      expect(facts.licenseSerial).toBeUndefined();
    } else {
      expect(facts.licenseSerial).toBeDefined();
      expect(facts.accountId).toBeDefined();
      expect(facts.licenseVerified).toBe(!CLAIMED.has(name));
    }
    if (decision.outcome === 'approved') expect(facts.licenseVerified).toBe(true);
    expect(facts.appCounter !== undefined).toBe(SIGNED_AUTHORIZATION.has(name));
  });

  it('a phone can claim any account on a license that does not verify: it is reported as a claim', async () => {
    const { decision } = await tap(demo(), 'tampered-license');
    expect(decision).toMatchObject({ outcome: 'declined', reason: 'license_signature_invalid', facts: { licenseVerified: false } });
    const good = await tap(demo(), 'expired-license');
    expect(good.decision).toMatchObject({ outcome: 'declined', reason: 'license_expired', facts: { licenseVerified: true } });
  });

  it('re-verifying a recorded exchange reports the same, and a claim once its authority is unknown', async () => {
    const env = demo();
    const result = await tap(env, 'approve');
    const context = verificationFor(env, new MemoryHistory());
    expect(verifyExchange(result.order, result.exchange, context)).toMatchObject({ outcome: 'approved', facts: { licenseVerified: true } });
    const withoutAuthority = { ...context, trustStore: createTrustStore([]) };
    expect(verifyExchange(result.order, result.exchange, withoutAuthority)).toMatchObject({
      outcome: 'declined',
      reason: 'unknown_authority',
      facts: { licenseSerial: 'demo-approve', licenseVerified: false },
    });
  });
});
