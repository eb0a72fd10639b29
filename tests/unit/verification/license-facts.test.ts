// licenseFactsVerified answers from a decline's reason alone what the pipeline knew when it
// declined: checked against every wallet scenario run through the full session.
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
    expect(REASON_CODES.filter(licenseFactsVerified)).toEqual(REASON_CODES.filter((code) => licenseCheckPoint(code) === 'verified'));
  });

  it('follows the pipeline order: authority and signature unverified, validity and authorization verified', () => {
    for (const code of ['unknown_authority', 'authority_key_not_valid', 'license_signature_invalid', 'authority_revoked', 'wait_timeout'] as const) {
      expect(licenseFactsVerified(code), code).toBe(false);
    }
    for (const code of ['license_expired', 'license_revoked', 'app_key_invalid', 'currency_not_licensed', 'amount_mismatch', 'offline_limit_exceeded'] as const) {
      expect(licenseFactsVerified(code), code).toBe(true);
    }
  });

  it.each(SCENARIO_NAMES)('%s: the answer for its reason is what the session decided', async (name) => {
    const { decision } = await tap(demo(), name);
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
      // The cautious answer; these scenarios are the ones it costs a verified fact.
      expect(verified).toBe(LATE_LINK_OR_FRAMING.includes(name));
    } else {
      expect(licenseFactsVerified(decision.reason)).toBe(verified);
    }
  });

  it('a link failure can come before or after the license check: its code alone cannot tell', async () => {
    const early = await tap(demo(), 'removed-early');
    const late = await tap(demo(), 'removed-late');
    expect(early.decision).toMatchObject({ outcome: 'declined', reason: 'card_removed' });
    expect(late.decision).toMatchObject({ outcome: 'declined', reason: 'card_removed', facts: { licenseVerified: true } });
    expect(early.decision.facts.licenseVerified).toBeUndefined();
    expect(licenseFactsVerified('card_removed')).toBe(false);
  });
});
