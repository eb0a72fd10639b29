// Trust-store entries and revocation lists as a terminal imports them, and EdDSA authorities.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createAuthority,
  createWalletCredentials,
  exportTrustEntry,
  issueLicense,
  publishRevocationList,
  trustedAuthorityOf,
} from '../../../src-main/authority/authority';
import { fromBase64Url, toBase64Url } from '../../../src-main/domain/bytes';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import { CLOCK_SKEW_MS } from '../../../src-main/verification/license';
import {
  EMPTY_REVOCATIONS,
  RevocationListError,
  mergeRevocationLists,
  verifyRevocationList,
} from '../../../src-main/verification/revocation';
import { TrustEntryError, createTrustStore, parseTrustEntry } from '../../../src-main/verification/trust-store';
import { memoryCounterStore } from '../../../src-main/wallet/counter-store';
import { PhoneWallet } from '../../../src-main/wallet/phone-wallet';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';
import { MemoryHistory, NOW, order } from './helpers';
import { nobleVerifier } from '../../../src-main/protocol/signature';

const random = (n: number) => new Uint8Array(randomBytes(n));
const YEAR = 365 * 86_400_000;

describe('trust-store entries', () => {
  const authority = createAuthority({ kid: 'acme-2026', random, notBefore: NOW - YEAR, notAfter: NOW + YEAR, name: 'ACME Credit' });

  it('round-trip through JSON', () => {
    const parsed = parseTrustEntry(JSON.parse(JSON.stringify(exportTrustEntry(authority))));
    expect(parsed).toEqual(trustedAuthorityOf(authority));
  });

  it('are refused with a wrong fingerprint, a bad key, an extra field or a reversed window', () => {
    const entry = exportTrustEntry(authority);
    const bad = [
      { ...entry, fingerprint: '0000 0000 0000 0000 0000 0000 0000 0000' },
      { ...entry, publicKey: toBase64Url(new Uint8Array(65).fill(4)) },
      { ...entry, extra: true },
      { ...entry, notBefore: entry.notAfter, notAfter: entry.notBefore },
      { ...entry, kid: 'has space' },
      'not an object',
    ];
    for (const json of bad) expect(() => parseTrustEntry(json)).toThrow(TrustEntryError);
  });
});

describe('revocation lists', () => {
  const signer = createAuthority({ kid: 'acme-2026', random, notBefore: NOW - YEAR, notAfter: NOW + YEAR });
  const store = createTrustStore([trustedAuthorityOf(signer)]);
  const file = publishRevocationList(signer, { sequence: 7, issuedAt: NOW, licenseSerials: ['s-1', 's-2'], authorityKids: ['old-kid'] });

  it('verify when signed by a trusted, valid authority', () => {
    const list = verifyRevocationList(file, store, NOW);
    expect(list).toMatchObject({ issuerKid: 'acme-2026', sequence: 7, issuedAt: NOW - (NOW % 1000) });
    expect(list.authorityId).toBe('acme-2026');
    expect(mergeRevocationLists([list]).licenses).toEqual(new Set(['acme-2026/s-1', 'acme-2026/s-2']));
  });

  it('are refused from an unknown signer, outside its window, or when altered', () => {
    const stranger = createAuthority({ kid: 'stranger', random, notBefore: NOW - YEAR, notAfter: NOW + YEAR });
    expect(() =>
      verifyRevocationList(
        publishRevocationList(stranger, { sequence: 1, issuedAt: NOW, licenseSerials: [], authorityKids: [] }),
        store,
        NOW,
      ),
    ).toThrow(RevocationListError);
    expect(() => verifyRevocationList(file, store, NOW + 2 * YEAR)).toThrow(RevocationListError);
    const bytes = fromBase64Url(file.cose);
    bytes[bytes.length - 70] = (bytes[bytes.length - 70] ?? 0) ^ 1;
    expect(() => verifyRevocationList({ ...file, cose: toBase64Url(bytes) }, store, NOW)).toThrow(RevocationListError);
    expect(() => verifyRevocationList({ ...file, cose: 'AAAA' }, store, NOW)).toThrow(RevocationListError);
  });

  it('are never published with an entry a terminal would refuse', () => {
    const base = { sequence: 2, issuedAt: NOW, licenseSerials: ['s-1'], authorityKids: ['k-1'] };
    expect(verifyRevocationList(publishRevocationList(signer, base), store, NOW).sequence).toBe(2);
    for (const bad of [
      { ...base, licenseSerials: ['has space'] },
      { ...base, authorityKids: ['bad/kid'] },
      { ...base, sequence: -1 },
      { ...base, sequence: 1.5 },
    ]) {
      expect(() => publishRevocationList(signer, bad)).toThrow(TypeError);
    }
  });
});

describe('license issuing', () => {
  it('refuses what a terminal could not parse', () => {
    const authority = createAuthority({ kid: 'acme', random, notBefore: NOW - YEAR, notAfter: NOW + YEAR });
    const good = {
      accountId: 'a-1',
      offlineLimit: 100,
      currency: 'CNY',
      notBefore: NOW,
      notAfter: NOW + YEAR,
      appPublicKey: createWalletCredentials(
        authority,
        { accountId: 'x', offlineLimit: 1, currency: 'CNY', notBefore: NOW, notAfter: NOW + YEAR },
        random,
      ).appPublicKey,
    };
    expect(issueLicense(authority, good, random).license.length).toBeGreaterThan(100);
    for (const bad of [
      { ...good, serial: 'has space' },
      { ...good, accountId: '' },
      { ...good, currency: 'cny' },
      { ...good, offlineLimit: -1 },
      { ...good, notAfter: NOW - 1 },
      { ...good, appPublicKey: new Uint8Array(65) },
    ]) {
      expect(() => issueLicense(authority, bad, random)).toThrow(TypeError);
    }
  });
});

describe('EdDSA authority', () => {
  it('licenses an app key that pays', async () => {
    const authority = createAuthority({ kid: 'ed-authority', alg: 'EdDSA', random, notBefore: NOW - YEAR, notAfter: NOW + YEAR });
    const wallet = createWalletCredentials(
      authority,
      { accountId: 'a-1', offlineLimit: 10_000, currency: 'CNY', notBefore: NOW - 1000, notAfter: NOW + YEAR },
      random,
    );
    const channel = walletChannel(new PhoneWallet({ credentials: wallet, counter: memoryCounterStore() }));
    channel.tap();
    const result = await runTerminalSession({
      channel,
      order: order(),
      verification: {
        clock: () => NOW,
        clockSkewMs: CLOCK_SKEW_MS,
        verifier: nobleVerifier,
        trustStore: createTrustStore([parseTrustEntry(exportTrustEntry(authority))]),
        revocations: EMPTY_REVOCATIONS,
        history: new MemoryHistory(),
      },
      random,
    });
    expect(result.decision).toMatchObject({ outcome: 'approved', facts: { authorityKid: 'ed-authority' } });
  });
});
