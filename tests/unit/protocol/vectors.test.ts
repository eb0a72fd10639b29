import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src-main/protocol/bytes';
import { publicKeyFor, nobleVerifier } from '../../../src-main/protocol/signature';
import { EMPTY_HISTORY, checkPaymentResponse, verifyExchange, type VerificationContext } from '../../../src-main/verification/pipeline';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { mergeRevocationLists } from '../../../src-main/verification/revocation';
import { unwrapResponse } from '../../../src-main/protocol/envelope';
import { parseAuthorizationMessage } from '../../../src-main/protocol/messages';
import type { ExchangeBytes } from '../../../src-main/domain/payment';
import { buildVectors, type Vectors } from '../../fixtures/protocol/vectors';

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/protocol/vectors.json', import.meta.url), 'utf8')) as Vectors;

/** A terminal built only from what the vector file states. */
function contextFromFile(): VerificationContext {
  return {
    clock: () => Date.parse(recorded.now),
    clockSkewMs: recorded.clockSkewMs, verifier: nobleVerifier,
    trustStore: createTrustStore(
      recorded.authorities
        .filter((a) => a.trusted)
        .map((a) => ({ kid: a.kid, authorityId: a.authorityId, alg: a.alg as 'ES256', publicKey: fromHex(a.publicKey), notBefore: Date.parse(a.notBefore), notAfter: Date.parse(a.notAfter) })),
    ),
    revocations: mergeRevocationLists([
      { authorityId: recorded.revocations.authorityId, licenseSerials: new Set(recorded.revocations.licenseSerials), authorityKids: new Set(recorded.revocations.authorityKids) },
    ]),
    history: EMPTY_HISTORY,
  };
}

describe('protocol test vectors (tests/fixtures/protocol/vectors.json)', () => {
  it('are reproduced byte for byte by the code', async () => {
    expect(JSON.parse(JSON.stringify(await buildVectors()))).toEqual(recorded);
  });

  it('are quoted exactly in docs/protocol.md (approved exchange: every message and APDU)', () => {
    const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8').replace(/\s+/g, '');
    const approved = recorded.cases.find((c) => c.name === 'approve');
    const quoted = [...Object.values(approved?.messages ?? {}), ...(approved?.apdus ?? []).flatMap((a) => [a.command, a.response])];
    expect(quoted.length).toBeGreaterThan(8);
    for (const hex of quoted) expect(doc.includes(hex), hex.slice(0, 40)).toBe(true);
  });

  it('state keys that match their secret keys', () => {
    for (const a of recorded.authorities) expect(toHex(publicKeyFor('ES256', fromHex(a.secretKey)))).toBe(a.publicKey);
    for (const c of recorded.cases) expect(toHex(publicKeyFor('ES256', fromHex(c.appSecretKey)))).toBe(c.appPublicKey);
  });

  it.each(recorded.cases.map((c) => [c.name, c] as const))('%s is accepted or declined from its recorded bytes as recorded', (_name, vector) => {
    const context = contextFromFile();
    const exchange: ExchangeBytes = Object.fromEntries(Object.entries(vector.messages).map(([k, hex]) => [k, fromHex(hex)]));
    if (exchange.authorization || exchange.paymentAuthorization) {
      const withAuthorization = exchange.authorization
        ? exchange
        : { ...exchange, authorization: cosePart(exchange.paymentAuthorization as Uint8Array) };
      const decision = verifyExchange(recorded.order, withAuthorization, context);
      expect(decision.outcome === 'approved' ? { outcome: 'approved' } : { outcome: 'declined', reason: decision.reason }).toEqual(vector.expect);
    } else {
      const verdict = checkPaymentResponse(recorded.order, exchange.paymentResponse as Uint8Array, context);
      expect(verdict.ok ? { outcome: 'approved' } : { outcome: 'declined', reason: verdict.reason }).toEqual(vector.expect);
    }
  });
});

/** The COSE_Sign1 inside a recorded fourth message (not kept separately when it was declined). */
function cosePart(message: Uint8Array): Uint8Array {
  return parseAuthorizationMessage(unwrapResponse(message)).authorization;
}
