import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src-main/domain/bytes';
import { publicKeyFor, nobleVerifier } from '../../../src-main/protocol/signature';
import { EMPTY_HISTORY, checkPaymentResponse, verifyExchange, type VerificationContext } from '../../../src-main/verification/pipeline';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { mergeRevocationLists } from '../../../src-main/verification/revocation';
import { unwrapResponse } from '../../../src-main/protocol/envelope';
import { parseAuthorizationMessage, parseDeductionRequest, parsePaymentResponse } from '../../../src-main/protocol/messages';
import { parseCoseSign1, sigStructure } from '../../../src-main/protocol/cose';
import { encodeLicenseContent, parseLicenseContent } from '../../../src-main/protocol/license-payload';
import { unwrapRequest } from '../../../src-main/protocol/envelope';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../../../src-main/domain/bytes';
import type { ExchangeBytes } from '../../../src-main/domain/payment';
import { buildVectors, type Vectors } from '../../fixtures/protocol/vectors';
import { P256_N, derSignature, lowS, rawSignature, rfc6979Sign } from './rfc6979';
import { vectorDocProblems, vectorHexSpans } from './vector-doc';

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/protocol/vectors.json', import.meta.url), 'utf8')) as Vectors;
const protocolDoc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

/** A terminal built only from what the vector file states. */
function contextFromFile(): VerificationContext {
  return {
    clock: () => Date.parse(recorded.now),
    clockSkewMs: recorded.clockSkewMs,
    verifier: nobleVerifier,
    trustStore: createTrustStore(
      recorded.authorities
        .filter((a) => a.trusted)
        .map((a) => ({
          kid: a.kid,
          authorityId: a.authorityId,
          alg: a.alg as 'ES256',
          publicKey: fromHex(a.publicKey),
          notBefore: Date.parse(a.notBefore),
          notAfter: Date.parse(a.notAfter),
        })),
    ),
    revocations: mergeRevocationLists([
      {
        authorityId: recorded.revocations.authorityId,
        licenseSerials: new Set(recorded.revocations.licenseSerials),
        authorityKids: new Set(recorded.revocations.authorityKids),
      },
    ]),
    history: EMPTY_HISTORY,
  };
}

describe('protocol test vectors (tests/fixtures/protocol/vectors.json)', () => {
  it('are reproduced byte for byte by the code', async () => {
    expect(JSON.parse(JSON.stringify(await buildVectors()))).toEqual(recorded);
  });

  it("are printed in docs/protocol.md §12 byte for byte: every hex string there is the file's", () => {
    expect(vectorDocProblems(protocolDoc, recorded)).toEqual([]);
  });

  it('a change of one hex digit anywhere in §12 is caught', () => {
    const spans = vectorHexSpans(protocolDoc);
    expect(spans.length).toBeGreaterThan(100);
    for (const { at, length } of spans) {
      const where = at + Math.floor(length / 2);
      const digit = protocolDoc[where] === '0' ? '1' : '0';
      const edited = `${protocolDoc.slice(0, where)}${digit}${protocolDoc.slice(where + 1)}`;
      expect(vectorDocProblems(edited, recorded), protocolDoc.slice(at, at + 24)).not.toEqual([]);
    }
  });

  it('sign as §12 says: RFC 6979 (HMAC-SHA-256), low S, r || s; high-s, der-signature and tampered-license as stated', () => {
    const secretOf = (kid: string | undefined) => fromHex(recorded.authorities.find((a) => a.kid === kid)?.secretKey ?? '');
    let checked = 0;
    for (const vector of recorded.cases) {
      const license = parseCoseSign1(
        parsePaymentResponse(unwrapResponse(fromHex(vector.messages.paymentResponse ?? ''))).license,
        'license',
      );
      let payload = license.payload;
      if (vector.name === 'tampered-license') {
        const content = parseLicenseContent(payload);
        expect(content.offlineLimit).toBe(1_100_000);
        payload = encodeLicenseContent({ ...content, offlineLimit: 100_000 });
      }
      const signedLicense = rfc6979Sign(secretOf(license.kid), sigStructure(license.protectedBytes, payload));
      expect(toHex(license.signature), `${vector.name} license`).toBe(toHex(rawSignature(signedLicense.r, lowS(signedLicense.s))));
      checked++;

      if (!vector.messages.paymentAuthorization) continue;
      const authorization = parseCoseSign1(cosePart(fromHex(vector.messages.paymentAuthorization)), 'authorization');
      const { r, s } = rfc6979Sign(fromHex(vector.appSecretKey), sigStructure(authorization.protectedBytes, authorization.payload));
      const expected =
        vector.name === 'high-s'
          ? rawSignature(r, P256_N - lowS(s))
          : vector.name === 'der-signature'
            ? derSignature(r, lowS(s))
            : rawSignature(r, lowS(s));
      expect(toHex(authorization.signature), `${vector.name} authorization`).toBe(toHex(expected));
      checked++;
    }
    expect(checked).toBe(recorded.cases.length + recorded.cases.filter((c) => c.messages.paymentAuthorization).length);
  });

  it('draw the nonce and the chaining bytes from SHA-256 of the labels §12 names', () => {
    const block = (label: string, i: number) => sha256(utf8(`${recorded.seed}/${label}/${i}`));
    for (const vector of recorded.cases.filter((c) => c.messages.deductionRequest)) {
      const { nonce } = parseDeductionRequest(unwrapRequest(fromHex(vector.messages.deductionRequest ?? '')).payload);
      expect(toHex(nonce), vector.name).toBe(toHex(block(`terminal/${vector.name}`, 0).subarray(0, 16)));
    }
    for (const [label, hex] of [
      ['chaining/message', recorded.chaining.message],
      ['chaining/reply', recorded.chaining.reply],
    ] as const) {
      const blocks = Array.from({ length: Math.ceil(hex.length / 64) }, (_, i) => toHex(block(label, i)));
      expect(hex).toBe(blocks.join('').slice(0, hex.length));
    }
  });

  it('state keys that match their secret keys', () => {
    for (const a of recorded.authorities) expect(toHex(publicKeyFor('ES256', fromHex(a.secretKey)))).toBe(a.publicKey);
    for (const c of recorded.cases) expect(toHex(publicKeyFor('ES256', fromHex(c.appSecretKey)))).toBe(c.appPublicKey);
  });

  it.each(recorded.cases.map((c) => [c.name, c] as const))(
    '%s is accepted or declined from its recorded bytes as recorded',
    (_name, vector) => {
      const context = contextFromFile();
      const exchange: ExchangeBytes = Object.fromEntries(Object.entries(vector.messages).map(([k, hex]) => [k, fromHex(hex)]));
      if (exchange.authorization || exchange.paymentAuthorization) {
        const withAuthorization = exchange.authorization
          ? exchange
          : { ...exchange, authorization: cosePart(exchange.paymentAuthorization as Uint8Array) };
        const decision = verifyExchange(recorded.order, withAuthorization, context);
        expect(decision.outcome === 'approved' ? { outcome: 'approved' } : { outcome: 'declined', reason: decision.reason }).toEqual(
          vector.expect,
        );
      } else {
        const verdict = checkPaymentResponse(recorded.order, exchange.paymentResponse as Uint8Array, context);
        expect(verdict.ok ? { outcome: 'approved' } : { outcome: 'declined', reason: verdict.reason }).toEqual(vector.expect);
      }
    },
  );
});

/** The COSE_Sign1 inside a recorded fourth message (not kept separately when it was declined). */
function cosePart(message: Uint8Array): Uint8Array {
  return parseAuthorizationMessage(unwrapResponse(message)).authorization;
}
