// The revocation-list replacement rule: one list per signer, replaced only by a higher
// sequence number; an equal or lower one is refused with REVOCATION_NOT_NEWER, so replaying an
// older list never shrinks the revoked set. Every refusal of a list carries a stable code.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthority, publishRevocationList, trustedAuthorityOf } from '../../../src-main/authority/authority';
import { fromBase64Url, toBase64Url } from '../../../src-main/domain/bytes';
import {
  checkReplaces,
  mergeRevocationLists,
  RevocationListError,
  verifyRevocationList,
  type RevocationErrorCode,
  type SignedRevocationList,
} from '../../../src-main/verification/revocation';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { NOW } from './helpers';

const random = (n: number) => new Uint8Array(randomBytes(n));
const YEAR = 365 * 86_400_000;

function codeOf(action: () => unknown): RevocationErrorCode | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof RevocationListError) return error.code;
    throw error;
  }
}

describe('revocation list replacement', () => {
  const acme = createAuthority({ kid: 'acme', random, notBefore: NOW - YEAR, notAfter: NOW + YEAR });
  const beta = createAuthority({ kid: 'beta', random, notBefore: NOW - YEAR, notAfter: NOW + YEAR });
  const store = createTrustStore([trustedAuthorityOf(acme), trustedAuthorityOf(beta)]);
  const signed = (authority: typeof acme, sequence: number, licenseSerials: string[], issuedAt = NOW) =>
    verifyRevocationList(publishRevocationList(authority, { sequence, issuedAt, licenseSerials, authorityKids: [] }), store, NOW);

  it('lets a higher sequence replace the list held and refuses an equal or lower one with REVOCATION_NOT_NEWER', () => {
    const five = signed(acme, 5, ['s-1', 's-2', 's-3']);
    expect(codeOf(() => checkReplaces(undefined, five))).toBeUndefined();
    expect(codeOf(() => checkReplaces(five, signed(acme, 6, ['s-1'])))).toBeUndefined();
    expect(codeOf(() => checkReplaces(five, signed(acme, 4, [])))).toBe('REVOCATION_NOT_NEWER');
    expect(codeOf(() => checkReplaces(five, signed(acme, 0, [])))).toBe('REVOCATION_NOT_NEWER');
  });

  it('tells a re-import of the same list from a different list under the same number', () => {
    const five = signed(acme, 5, ['s-1', 's-2']);
    const again = (() => {
      try {
        checkReplaces(five, signed(acme, 5, ['s-2', 's-1']));
      } catch (error) {
        return error as RevocationListError;
      }
      throw new Error('not refused');
    })();
    expect(again.code).toBe('REVOCATION_NOT_NEWER');
    expect(again.message).toMatch(/^REVOCATION_NOT_NEWER: list #5 from acme is already in use$/);
    expect(() => checkReplaces(five, signed(acme, 5, ['s-1']))).toThrow(/has the number of the list in use but other content/);
  });

  it('gives every refused list file a stable code', () => {
    const stranger = createAuthority({ kid: 'stranger', random, notBefore: NOW - YEAR, notAfter: NOW + YEAR });
    const file = publishRevocationList(acme, { sequence: 1, issuedAt: NOW, licenseSerials: [], authorityKids: [] });
    const tampered = fromBase64Url(file.cose);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    const cases: [unknown, number, RevocationErrorCode][] = [
      [{ type: 'something-else' }, NOW, 'REVOCATION_NOT_A_LIST'],
      [{ ...file, cose: 'AAAA' }, NOW, 'REVOCATION_NOT_A_LIST'],
      [
        publishRevocationList(stranger, { sequence: 1, issuedAt: NOW, licenseSerials: [], authorityKids: [] }),
        NOW,
        'REVOCATION_UNKNOWN_SIGNER',
      ],
      [file, NOW + 2 * YEAR, 'REVOCATION_SIGNER_NOT_VALID'],
      [{ ...file, cose: toBase64Url(tampered) }, NOW, 'REVOCATION_SIGNATURE_INVALID'],
    ];
    for (const [json, now, code] of cases) expect(codeOf(() => verifyRevocationList(json, store, now))).toBe(code);
  });

  it('never lets any order of imports shrink what the newest list of each signer revokes (property)', () => {
    const serial = fc.constantFrom('s-1', 's-2', 's-3', 's-4');
    const list = fc.record({
      issuerKid: fc.constantFrom('acme', 'beta'),
      sequence: fc.integer({ min: 0, max: 6 }),
      serials: fc.uniqueArray(serial, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(list, { maxLength: 25 }), (arrivals) => {
        const held = new Map<string, SignedRevocationList>();
        const best = new Map<string, number>();
        for (const arrival of arrivals) {
          const incoming: SignedRevocationList = {
            issuerKid: arrival.issuerKid,
            authorityId: arrival.issuerKid,
            sequence: arrival.sequence,
            issuedAt: NOW,
            licenseSerials: new Set(arrival.serials),
            authorityKids: new Set(),
          };
          const before = mergeRevocationLists(held.values());
          const previous = held.get(arrival.issuerKid);
          const code = codeOf(() => checkReplaces(previous, incoming));
          if (code === undefined) held.set(arrival.issuerKid, incoming);
          else expect(mergeRevocationLists(held.values())).toEqual(before);
          // Accepted exactly when it is the highest number this signer has shown so far.
          expect(code === undefined).toBe(arrival.sequence > (best.get(arrival.issuerKid) ?? -1));
          best.set(arrival.issuerKid, Math.max(arrival.sequence, best.get(arrival.issuerKid) ?? -1));
          expect(held.get(arrival.issuerKid)?.sequence).toBe(best.get(arrival.issuerKid));
        }
      }),
    );
  });
});
