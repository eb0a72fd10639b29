// Two trusted credit authorities whose serial spaces overlap: a license is (authority, serial),
// so a colliding serial of the other authority shares nothing with the honest holder's license —
// not its counter, not its offline spend, not its revocation. Runs the real session against a
// real ledger file.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAuthority,
  createWalletCredentials,
  publishRevocationList,
  trustedAuthorityOf,
  type AuthorityKey,
} from '../../../src-main/authority/authority';
import type { Decision } from '../../../src-main/domain/payment';
import type { Ledger } from '../../../src-main/ledger/ledger';
import { nobleVerifier } from '../../../src-main/protocol/signature';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import {
  EMPTY_REVOCATIONS,
  mergeRevocationLists,
  verifyRevocationList,
  type RevocationList,
} from '../../../src-main/verification/revocation';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { memoryCounterStore } from '../../../src-main/wallet/counter-store';
import { PhoneWallet } from '../../../src-main/wallet/phone-wallet';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';
import { openTestLedger, tempDir } from '../ledger/fixtures';
import { NOW, order } from '../protocol/helpers';

const random = (n: number) => new Uint8Array(randomBytes(n));
const YEAR = 365 * 86_400_000;
const window = { notBefore: NOW - YEAR, notAfter: NOW + YEAR };
const SERIAL = 'S-0001';

const acme = createAuthority({ kid: 'acme-2026', authorityId: 'acme', random, ...window });
const beta = createAuthority({ kid: 'beta-1', authorityId: 'beta', random, ...window });
const trustStore = createTrustStore([acme, beta].map(trustedAuthorityOf));

function phone(issuer: AuthorityKey, lastCounter: number, offlineLimit = 100_000): PhoneWallet {
  const credentials = createWalletCredentials(
    issuer,
    { serial: SERIAL, accountId: `${issuer.authorityId}-account`, offlineLimit, currency: 'CNY', ...window },
    random,
  );
  return new PhoneWallet({ credentials, counter: memoryCounterStore(lastCounter) });
}

describe('license identity is (authority, serial)', () => {
  let ledger: Ledger;
  let cleanup: () => void;
  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    ledger = openTestLedger(t.dir, { clock: () => NOW });
  });
  afterEach(() => {
    ledger.close();
    cleanup();
  });

  async function pay(wallet: PhoneWallet, amount = 1000, revocations: RevocationList = EMPTY_REVOCATIONS): Promise<Decision> {
    const channel = walletChannel(wallet);
    channel.tap();
    const result = await runTerminalSession({
      channel,
      order: order({ amount, merchantId: 'M-42', terminalId: 'T-0001' }),
      verification: { clock: () => NOW, clockSkewMs: 0, verifier: nobleVerifier, trustStore, revocations, history: ledger },
      random,
      stepTimeoutMs: 2000,
    });
    ledger.record(result);
    return result.decision;
  }

  it('a colliding serial of another trusted authority with a huge counter does not lock out the honest holder', async () => {
    const honest = phone(acme, 0);
    expect(await pay(honest)).toMatchObject({ outcome: 'approved', facts: { authorityId: 'acme', licenseSerial: SERIAL, appCounter: 1 } });

    // Another authority's license with the same serial, its counter far ahead (within one step).
    const colliding = phone(beta, 2 ** 31);
    expect(await pay(colliding)).toMatchObject({
      outcome: 'approved',
      facts: { authorityId: 'beta', licenseSerial: SERIAL, appCounter: 2 ** 31 + 1 },
    });

    // Serial alone would now decline the honest holder counter_replayed; the pair keeps it apart.
    expect(await pay(honest)).toMatchObject({ outcome: 'approved', facts: { authorityId: 'acme', appCounter: 2 } });
    expect(ledger.lastCounter({ authorityId: 'acme', serial: SERIAL })).toBe(2);
    expect(ledger.lastCounter({ authorityId: 'beta', serial: SERIAL })).toBe(2 ** 31 + 1);
  });

  it('a counter of 2^53 - 1 is declined as out of range, not recorded, and the honest holder pays on', async () => {
    const honest = phone(acme, 0);
    expect(await pay(honest)).toMatchObject({ outcome: 'approved', facts: { appCounter: 1 } });
    expect(await pay(phone(beta, Number.MAX_SAFE_INTEGER - 1))).toMatchObject({ outcome: 'declined', reason: 'counter_out_of_range' });
    // The same jump by the honest holder's own phone (a bug) does not use up its license here.
    expect(await pay(phone(acme, Number.MAX_SAFE_INTEGER - 1))).toMatchObject({ outcome: 'declined', reason: 'counter_out_of_range' });
    expect(ledger.lastCounter({ authorityId: 'acme', serial: SERIAL })).toBe(1);
    expect(await pay(honest)).toMatchObject({ outcome: 'approved', facts: { authorityId: 'acme', appCounter: 2 } });
  });

  it('a phone whose counter reached 2^53 - 1 offers no license (SNEP Not Found) until it has a new one', async () => {
    expect(await pay(phone(acme, Number.MAX_SAFE_INTEGER))).toMatchObject({ outcome: 'declined', reason: 'snep_error' });
  });

  it("offline spend of a colliding serial does not count against the honest holder's limit", async () => {
    const honest = phone(acme, 0, 1500);
    const colliding = phone(beta, 0, 100_000);
    expect(await pay(colliding, 90_000)).toMatchObject({ outcome: 'approved' });
    expect(await pay(honest, 1500)).toMatchObject({ outcome: 'approved' });
    expect(await pay(honest, 1)).toMatchObject({ outcome: 'declined', reason: 'offline_limit_exceeded' });
    expect(ledger.spentOffline({ authorityId: 'beta', serial: SERIAL }, 'CNY')).toBe(90_000);
  });

  it('a revocation list revokes only licenses and keys of the authority that signed it', async () => {
    // beta lists acme's serial and acme's key: a terminal ignores both for acme's customers.
    const betaList = verifyRevocationList(
      publishRevocationList(beta, { sequence: 1, issuedAt: NOW, licenseSerials: [SERIAL], authorityKids: [acme.kid] }),
      trustStore,
      NOW,
    );
    const crossAuthority = mergeRevocationLists([betaList]);
    expect(await pay(phone(acme, 0), 1000, crossAuthority)).toMatchObject({ outcome: 'approved', facts: { authorityId: 'acme' } });
    // The same list does revoke beta's own license of that serial.
    expect(await pay(phone(beta, 0), 1000, crossAuthority)).toMatchObject({ outcome: 'declined', reason: 'license_revoked' });

    // acme's own list revokes acme's license, and acme's key.
    const acmeSerial = mergeRevocationLists([
      verifyRevocationList(
        publishRevocationList(acme, { sequence: 1, issuedAt: NOW, licenseSerials: [SERIAL], authorityKids: [] }),
        trustStore,
        NOW,
      ),
    ]);
    expect(await pay(phone(acme, 0), 1000, acmeSerial)).toMatchObject({ outcome: 'declined', reason: 'license_revoked' });
    expect(await pay(phone(beta, 0), 1000, acmeSerial)).toMatchObject({ outcome: 'approved' });
    const acmeKey = mergeRevocationLists([
      verifyRevocationList(
        publishRevocationList(acme, { sequence: 2, issuedAt: NOW, licenseSerials: [], authorityKids: [acme.kid] }),
        trustStore,
        NOW,
      ),
    ]);
    expect(await pay(phone(acme, 0), 1000, acmeKey)).toMatchObject({ outcome: 'declined', reason: 'authority_revoked' });
  });
});
