// licenseFactsVerified answers from what a stored decline keeps (its reason, whether the
// deduction request went out) what the pipeline knew when it declined: checked against every
// wallet scenario run through the full session.
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../../src-main/domain/reasons';
import { licenseCheckPoint, licenseFactsVerified } from '../../../src-main/verification/license-facts';
import { SCENARIO_NAMES, getScenario } from '../../../src-main/wallet/scenarios';
import { demo, tap } from '../protocol/helpers';

/** Scenarios that end, after the license verified, with a code that can also come before it. */
const LATE_LINK_OR_FRAMING = ['removed-late', 'snep-error', 'bad-cose', 'unsupported-algorithm', 'der-signature'];

describe('licenseFactsVerified', () => {
  it('has an explicit answer for every reason code', () => {
    for (const code of REASON_CODES) expect(['verified', 'unverified', 'either'], code).toContain(licenseCheckPoint(code));
    expect(REASON_CODES.filter((code) => licenseFactsVerified(code))).toEqual(
      REASON_CODES.filter((code) => licenseCheckPoint(code) === 'verified'),
    );
    // A sent deduction request settles the `either` codes only.
    for (const code of REASON_CODES) {
      expect(licenseFactsVerified(code, true), code).toBe(licenseCheckPoint(code) !== 'unverified');
    }
  });

  it('follows the pipeline order: authority and signature unverified, validity and authorization verified', () => {
    for (const code of [
      'unknown_authority',
      'authority_key_not_valid',
      'license_signature_invalid',
      'authority_revoked',
      'wait_timeout',
    ] as const) {
      expect(licenseFactsVerified(code), code).toBe(false);
    }
    for (const code of [
      'license_expired',
      'license_revoked',
      'app_key_invalid',
      'currency_not_licensed',
      'amount_mismatch',
      'offline_limit_exceeded',
    ] as const) {
      expect(licenseFactsVerified(code), code).toBe(true);
    }
  });

  it.each(SCENARIO_NAMES)('%s: the answer for its reason and stored bytes is what the session decided', async (name) => {
    const { decision, exchange } = await tap(demo(), name);
    const verified = decision.facts.licenseVerified === true;
    if (decision.outcome === 'approved') {
      expect(verified).toBe(true);
      return;
    }
    expect(decision.reason).toBe((getScenario(name).expect as { reason: string }).reason);
    const point = licenseCheckPoint(decision.reason);
    // Never a claim shown as a fact.
    if (licenseFactsVerified(decision.reason)) expect(verified).toBe(true);
    if (point === 'either') {
      // The reason alone gives the cautious answer; these scenarios are the ones it costs a verified fact.
      expect(verified).toBe(LATE_LINK_OR_FRAMING.includes(name));
    } else {
      expect(licenseFactsVerified(decision.reason)).toBe(verified);
    }
    // With what the ledger row keeps besides (the deduction request's bytes) the answer is exact.
    expect(licenseFactsVerified(decision.reason, exchange.deductionRequest !== undefined)).toBe(verified);
  });

  it('a link failure can come before or after the license check: its code alone cannot tell', async () => {
    const early = await tap(demo(), 'removed-early');
    const late = await tap(demo(), 'removed-late');
    expect(early.decision).toMatchObject({ outcome: 'declined', reason: 'card_removed' });
    expect(late.decision).toMatchObject({ outcome: 'declined', reason: 'card_removed', facts: { licenseVerified: true } });
    expect(early.decision.facts.licenseVerified).toBeUndefined();
    expect(licenseFactsVerified('card_removed')).toBe(false);
    // The stored bytes tell them apart: only the late one had sent the deduction request.
    expect(early.exchange.deductionRequest).toBeUndefined();
    expect(late.exchange.deductionRequest).toBeDefined();
    expect(licenseFactsVerified('card_removed', true)).toBe(true);
  });
});
