// Re-verifying a recorded approval runs the tap's own rules on the stored bytes: every wallet
// scenario is recorded as if approved, and the verdict (with either signature verifier) names
// what the tap found, or passes where the rule is the caller's (counters, limits, revocation).
import { describe, expect, it } from 'vitest';
import type { SessionResult } from '../../../src-main/domain/payment';
import { unwrapResponse } from '../../../src-main/protocol/envelope';
import { parseAuthorizationMessage } from '../../../src-main/protocol/messages';
import { createNodeVerifier } from '../../../src-main/protocol/node-signature';
import { nobleVerifier } from '../../../src-main/protocol/signature';
import { licenseIdentity } from '../../../src-main/verification/license-identity';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { verifyRecordedApproval, RecordedApprovalVerifier, type RecordedApproval } from '../../../src-main/verification/recorded-approval';
import { SCENARIO_NAMES, type ScenarioName } from '../../../src-main/wallet/scenarios';
import { demo, NOW, tap } from '../protocol/helpers';

/** The authorization bytes, also of a decline (its session keeps only the message carrying them). */
function authorizationOf(exchange: SessionResult['exchange']): Uint8Array | null {
  if (exchange.authorization) return exchange.authorization;
  if (!exchange.paymentAuthorization) return null;
  try {
    return parseAuthorizationMessage(unwrapResponse(exchange.paymentAuthorization)).authorization;
  } catch {
    return null;
  }
}

function recorded(result: SessionResult, overrides: Partial<RecordedApproval> = {}): RecordedApproval {
  const { order, exchange, decision } = result;
  return {
    transactionId: order.transactionId,
    amount: order.amount,
    currency: order.currency,
    merchantId: order.merchantId,
    terminalId: order.terminalId,
    recordedAt: NOW,
    accountId: decision.facts.accountId ?? null,
    licenseSerial: decision.facts.licenseSerial ?? null,
    authorityKid: decision.facts.authorityKid ?? null,
    authorityId: decision.facts.authorityId ?? null,
    appCounter: decision.facts.appCounter ?? null,
    paymentRequest: exchange.paymentRequest ?? null,
    paymentResponse: exchange.paymentResponse ?? null,
    license: exchange.license ?? null,
    deductionRequest: exchange.deductionRequest ?? null,
    authorization: authorizationOf(exchange),
    paymentAuthorization: exchange.paymentAuthorization ?? null,
    ...overrides,
  };
}

/** Rules a single recorded approval cannot judge: they need the terminal's other rows. */
const CALLERS_RULES: ScenarioName[] = ['replayed-counter', 'counter-jump', 'over-limit'];
const SIGNED_FIELDS = [
  'wrong-transaction',
  'wrong-amount',
  'wrong-currency',
  'wrong-merchant',
  'wrong-terminal',
  'stale-nonce',
  'wrong-license-hash',
  'wrong-transcript',
];

describe('verifyRecordedApproval', () => {
  it.each(SCENARIO_NAMES)('%s: the verdict names what the tap found, the same with noble and node:crypto', async (name) => {
    const env = demo();
    const result = await tap(env, name);
    const row = recorded(result, { appCounter: result.decision.facts.appCounter ?? 1 });
    const noble = verifyRecordedApproval(row, { trustStore: env.trustStore, verifier: nobleVerifier });
    const node = verifyRecordedApproval(row, { trustStore: env.trustStore, verifier: createNodeVerifier() });
    expect(node).toEqual(noble);
    const codes = noble.ok ? [] : noble.problems.map((p) => p.code);
    const { decision } = result;
    if (!row.authorization || !row.deductionRequest) {
      expect(codes).toEqual(['exchange_incomplete']);
    } else if (decision.outcome === 'approved' || CALLERS_RULES.includes(name)) {
      expect(noble.ok).toBe(true);
    } else if (SIGNED_FIELDS.includes(name)) {
      expect(codes).toEqual(['signed_fields_differ']);
    } else {
      expect(codes).toContain(decision.reason);
    }
  });

  it('checks the license and authority key at the recorded time, with the terminal skew', async () => {
    const env = demo();
    const result = await tap(env, 'approve');
    const options = { trustStore: env.trustStore, verifier: nobleVerifier };
    const notAfter = result.decision.facts.licenseNotAfter ?? 0;
    expect(verifyRecordedApproval(recorded(result, { recordedAt: notAfter + 4 * 60_000 }), options).ok).toBe(true);
    const late = verifyRecordedApproval(recorded(result, { recordedAt: notAfter + 6 * 60_000 }), options);
    expect(late.ok ? [] : late.problems.map((p) => p.code)).toContain('license_expired');
    const strict = verifyRecordedApproval(recorded(result, { recordedAt: notAfter + 4 * 60_000 }), { ...options, clockSkewMs: 0 });
    expect(strict.ok ? [] : strict.problems.map((p) => p.code)).toEqual(['license_expired']);
  });

  it('lists every field the row records differently from the signed bytes, and the row mismatches', async () => {
    const env = demo();
    const result = await tap(env, 'approve');
    const verdict = verifyRecordedApproval(recorded(result, { amount: 1, appCounter: 99, licenseSerial: 'other' }), {
      trustStore: env.trustStore,
      verifier: nobleVerifier,
    });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.problems.map((p) => [p.code, p.detail])).toEqual([
      ['row_differs_from_license', expect.stringMatching(/^row license serial other != license /)],
      ['request_differs_from_row', 'payment request differs from the recorded transaction'],
      ['request_differs_from_row', 'deduction request differs from the recorded transaction'],
      ['signed_fields_differ', 'authorization signs a different amount, app counter than the row records'],
    ]);
  });

  it('returns the verified license and authorization; an unknown authority is coded', async () => {
    const env = demo();
    const result = await tap(env, 'approve');
    const verifier = new RecordedApprovalVerifier({ trustStore: env.trustStore, verifier: createNodeVerifier() });
    const verdict = verifier.verify(recorded(result));
    expect(
      verdict.ok && {
        identity: licenseIdentity(verdict.approval.license),
        counter: verdict.approval.authorization.counter,
        kid: verdict.approval.license.kid,
      },
    ).toEqual({
      identity: { authorityId: result.decision.facts.authorityId, serial: result.decision.facts.licenseSerial },
      counter: result.decision.facts.appCounter,
      kid: result.decision.facts.authorityKid,
    });
    const stranger = verifyRecordedApproval(recorded(result), { trustStore: createTrustStore([]), verifier: nobleVerifier });
    expect(stranger).toEqual({
      ok: false,
      problems: [{ code: 'unknown_authority', detail: expect.stringMatching(/^license: authority key ".*" is not in the trust store$/) }],
    });
  });
});
