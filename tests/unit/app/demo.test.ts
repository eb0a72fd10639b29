import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_RENEW_BEFORE_MS, openDemo } from '../../../src-main/app/demo';
import { DEMO_LICENSE_WINDOW } from '../../../src-main/wallet/demo';
import { openTrustStoreAdmin } from '../../../src-main/app/trust-store-admin';
import type { LicenseHistory, PaymentFacts, PaymentOrder } from '../../../src-main/domain/payment';
import { licenseIdentityKey } from '../../../src-main/verification/license-identity';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import { manualClock, tempDataDir } from './helpers';
import { nobleVerifier } from '../../../src-main/protocol/signature';

const random = (n: number) => new Uint8Array(randomBytes(n));

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

/** What a terminal remembers of each license: the history the pipeline checks counters against. */
function memoryHistory(): LicenseHistory & { note(facts: PaymentFacts): void } {
  const counters = new Map<string, number>();
  return {
    lastCounter: (license) => counters.get(licenseIdentityKey(license)),
    spentOffline: () => 0,
    note({ authorityId, licenseSerial, appCounter }) {
      if (authorityId !== undefined && licenseSerial !== undefined && appCounter !== undefined) {
        counters.set(licenseIdentityKey({ authorityId, serial: licenseSerial }), appCounter);
      }
    },
  };
}

function order(amount: number): PaymentOrder {
  return {
    transactionId: Buffer.from(random(16)).toString('hex'),
    amount,
    currency: 'GBP',
    merchantId: 'M1',
    terminalId: 'T1',
    demo: true,
  };
}

describe('demo mode', () => {
  it('creates the demo world once, trusts it marked demo, and its phone is approved by the real session', async () => {
    const clock = manualClock(Date.now());
    const trust = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    const demo = openDemo({ dataDir: data.dir, clock: clock.now, random, currency: 'GBP' });
    expect(demo.exists()).toBe(false);

    const info = demo.ensure({ currency: 'GBP', trust });
    expect(demo.exists()).toBe(true);
    expect(statSync(join(data.dir, 'demo', 'demo.json')).mode & 0o777).toBe(0o600);
    expect(
      trust
        .list()
        .filter((k) => k.demo)
        .map((k) => k.kid),
    ).toEqual(info.trustedKids);
    expect(trust.list().find((k) => k.kid === info.authorityKid)).toMatchObject({ status: 'active', demo: true });
    expect(trust.revocationSummaries()).toHaveLength(1);
    // Idempotent: a second ensure adds nothing and keeps the same seed.
    const seed = readFileSync(join(data.dir, 'demo', 'demo.json'), 'utf8');
    demo.ensure({ currency: 'GBP', trust });
    expect(trust.list()).toHaveLength(info.trustedKids.length);
    expect(readFileSync(join(data.dir, 'demo', 'demo.json'), 'utf8')).toBe(seed);

    const history = memoryHistory();
    const verification = {
      clock: clock.now,
      clockSkewMs: 60_000,
      verifier: nobleVerifier,
      trustStore: trust.trustStore(),
      revocations: trust.revocations(),
      history,
    };
    const tap = async (scenario: string, amount: number) => {
      const phone = demo.phoneFor(scenario);
      const result = await runTerminalSession({
        channel: { transmit: async (apdu) => phone.handleApdu(apdu) },
        order: order(amount),
        verification,
        random,
      });
      if (result.decision.outcome === 'approved') history.note(result.decision.facts);
      return result.decision;
    };
    expect(await tap('approve', 250)).toMatchObject({ outcome: 'approved', facts: { appCounter: 1 } });
    expect(await tap('approve', 300)).toMatchObject({ outcome: 'approved', facts: { appCounter: 2 } });
    expect(await tap('revoked-license', 300)).toMatchObject({ outcome: 'declined', reason: 'license_revoked' });
    expect(await tap('unknown-authority', 300)).toMatchObject({ outcome: 'declined', reason: 'unknown_authority' });
    // The phone's simulated link failures reach the reader as the ChannelErrors a real link gives.
    expect(await tap('removed-early', 300)).toMatchObject({ outcome: 'declined', reason: 'card_removed' });
    expect(await tap('reader-fault', 300)).toMatchObject({ outcome: 'declined', reason: 'reader_error' });

    // Reopened (a restart): same keys, and the phone's counter continues.
    const again = openDemo({ dataDir: data.dir, clock: clock.now, random, currency: 'GBP' });
    const phone = again.phoneFor('approve');
    const result = await runTerminalSession({
      channel: { transmit: async (apdu) => phone.handleApdu(apdu) },
      order: order(99),
      verification,
      random,
    });
    expect(result.decision).toMatchObject({ outcome: 'approved', facts: { appCounter: 3 } });
  });

  it('gives every terminal its own demo keys and lists the scenarios', () => {
    const other = tempDataDir();
    try {
      const a = openDemo({ dataDir: data.dir, random }).ensure({ currency: 'CNY', trust: openTrustStoreAdmin({ dataDir: data.dir }) });
      const b = openDemo({ dataDir: other.dir, random }).ensure({ currency: 'CNY', trust: openTrustStoreAdmin({ dataDir: other.dir }) });
      const fingerprint = (dir: string, kid: string) =>
        openTrustStoreAdmin({ dataDir: dir })
          .list()
          .find((k) => k.kid === kid)?.fingerprint;
      expect(fingerprint(data.dir, a.authorityKid)).toBeDefined();
      expect(fingerprint(data.dir, a.authorityKid)).not.toBe(fingerprint(other.dir, b.authorityKid));
    } finally {
      other.cleanup();
    }
    const demo = openDemo({ dataDir: data.dir, random });
    const names = demo.scenarios().map((s) => s.name);
    expect(names).toContain('approve');
    expect(demo.scenarios().find((s) => s.name === 'wrong-amount')?.expect).toEqual({ outcome: 'declined', reason: 'amount_mismatch' });
    expect(() => demo.phoneFor('no-such-scenario')).toThrow(/no simulated phone scenario/);
  });

  it('issues the demo licenses afresh before they expire, keeping keys, serials and counters', async () => {
    const DAY = 86_400_000;
    const start = Date.UTC(2026, 0, 15, 10, 0, 0);
    const clock = manualClock(start);
    const trust = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    const demo = openDemo({ dataDir: data.dir, clock: clock.now, random, currency: 'GBP' });
    expect(demo.licenses()).toBeUndefined();
    demo.ensure({ currency: 'GBP', trust });
    expect(demo.licenses()).toEqual({ issuedAt: start, expiresAt: start + DEMO_LICENSE_WINDOW.afterMs });
    const demoFile = () =>
      JSON.parse(readFileSync(join(data.dir, 'demo', 'demo.json'), 'utf8')) as { createdAt: number; licensesIssuedAt?: number };

    const history = memoryHistory();
    const verification = {
      clock: clock.now,
      clockSkewMs: 60_000,
      verifier: nobleVerifier,
      trustStore: trust.trustStore(),
      revocations: trust.revocations(),
      history,
    };
    const tap = async (scenario: string) => {
      const phone = demo.phoneFor(scenario);
      const result = await runTerminalSession({
        channel: { transmit: async (apdu) => phone.handleApdu(apdu) },
        order: order(100),
        verification,
        random,
      });
      if (result.decision.outcome === 'approved') history.note(result.decision.facts);
      return result.decision;
    };

    // Well inside the year: nothing changes.
    clock.set(start + 200 * DAY);
    expect(await tap('approve')).toMatchObject({ outcome: 'approved', facts: { appCounter: 1 } });
    expect(demo.renewLicensesIfDue()).toBe(false);
    expect(demoFile().licensesIssuedAt).toBeUndefined();

    // Within the renewal margin: the next tap gets a license issued today, same serial, counter goes on.
    const renewAt = start + DEMO_LICENSE_WINDOW.afterMs - DEMO_RENEW_BEFORE_MS + DAY;
    clock.set(renewAt);
    const before = await tap('approve');
    expect(before).toMatchObject({ outcome: 'approved', facts: { appCounter: 2, licenseSerial: 'demo-approve' } });
    expect(demo.licenses()).toEqual({ issuedAt: renewAt, expiresAt: renewAt + DEMO_LICENSE_WINDOW.afterMs });
    expect(demoFile()).toMatchObject({ createdAt: start, licensesIssuedAt: renewAt });
    expect(statSync(join(data.dir, 'demo', 'demo.json')).mode & 0o777).toBe(0o600);

    // Past the first year's end, the renewed license still approves; the old one would have expired.
    clock.set(start + DEMO_LICENSE_WINDOW.afterMs + 10 * DAY);
    expect(await tap('approve')).toMatchObject({ outcome: 'approved', facts: { appCounter: 3 } });
    // The scenarios keep their meaning after a renewal.
    expect(await tap('expired-license')).toMatchObject({ outcome: 'declined', reason: 'license_expired' });
    expect(await tap('not-yet-valid-license')).toMatchObject({ outcome: 'declined', reason: 'license_not_yet_valid' });
    expect(await tap('retired-authority')).toMatchObject({ outcome: 'declined', reason: 'authority_key_not_valid' });

    // A terminal left off for two years renews at its first tap; a restart reads the renewal back.
    clock.set(start + 3 * DEMO_LICENSE_WINDOW.afterMs);
    const reopened = openDemo({ dataDir: data.dir, clock: clock.now, random, currency: 'GBP' });
    expect(reopened.licenses()?.issuedAt).toBe(renewAt);
    const phone = reopened.phoneFor('approve');
    expect(reopened.licenses()?.issuedAt).toBe(clock.now());
    const late = await runTerminalSession({
      channel: { transmit: async (apdu) => phone.handleApdu(apdu) },
      order: order(100),
      verification,
      random,
    });
    expect(late.decision).toMatchObject({ outcome: 'approved', facts: { appCounter: 4 } });
  });

  it('renews licenses whose window has not begun when the clock was set back', () => {
    const clock = manualClock(Date.UTC(2026, 5, 1));
    const demo = openDemo({ dataDir: data.dir, clock: clock.now, random, currency: 'CNY' });
    demo.ensure({ currency: 'CNY', trust: openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now }) });
    clock.set(Date.UTC(2026, 4, 1));
    expect(demo.renewLicensesIfDue()).toBe(true);
    expect(demo.licenses()?.issuedAt).toBe(Date.UTC(2026, 4, 1));
  });
});
