// A self-contained demo world: trusted, retired, revoked and rogue authorities, the trust
// store and revocation list a terminal would import, and a phone for every scenario.
// Keys derive from a seed, so the same seed gives the same keys (test vectors, screenshots).
import { sha256 } from '@noble/hashes/sha2.js';
import { p256 } from '@noble/curves/nist.js';
import {
  createAuthority,
  exportTrustEntry,
  issueLicense,
  publishRevocationList,
  signLicenseContent,
  trustedAuthorityOf,
  type AuthorityKey,
} from '../authority/authority';
import { utf8 } from '../domain/bytes';
import { COSE_ALGORITHMS } from '../protocol/signature';
import { createTrustStore, type TrustEntryJson, type TrustStore } from '../verification/trust-store';
import { mergeRevocationLists, verifyRevocationList, type RevocationFileJson, type RevocationList } from '../verification/revocation';
import { memoryCounterStore, type CounterStore } from './counter-store';
import { PhoneWallet, type WalletCredentials } from './phone-wallet';
import { SCENARIOS, type LicenseVariant, type ScenarioName } from './scenarios';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

export const DEMO_REVOKED_SERIAL = 'demo-revoked-0001';
export const DEMO_ACCOUNT_ID = 'demo-account-0001';
/** The demo credit authority: its main, retired and revoked keys share one serial space. */
export const DEMO_AUTHORITY_ID = 'demo';

export interface DemoEnvironmentOptions {
  /** Epoch ms the validity windows are laid around. */
  now: number;
  seed?: string;
  currency?: string;
  /** Offline limit of good licenses, minor units (default 100000). */
  offlineLimit?: number;
  /** Counter store for a scenario's phone (default: in memory, one per scenario). */
  counterFor?: (scenario: ScenarioName) => CounterStore;
  sleep?: (ms: number) => Promise<void>;
}

export interface DemoEnvironment {
  authority: AuthorityKey;
  authorities: Record<'main' | 'retired' | 'revoked' | 'rogue', AuthorityKey>;
  /** What the terminal trusts: main, retired and revoked (not rogue). */
  trustStore: TrustStore;
  trustEntries: TrustEntryJson[];
  revocations: RevocationList;
  revocationFile: RevocationFileJson;
  currency: string;
  /** Credentials (app key + license) of a scenario's phone. */
  credentialsFor(scenario: ScenarioName): WalletCredentials;
  /** The phone of a scenario; the same instance for the same name, so its counter keeps growing. */
  walletFor(scenario: ScenarioName): PhoneWallet;
}

/** A valid P-256 secret key derived from `seed` and `label`. */
export function deriveSecretKey(seed: string, label: string): Uint8Array {
  for (let i = 0; ; i++) {
    const candidate = sha256(utf8(`${seed}/${label}/${i}`));
    if (p256.utils.isValidSecretKey(candidate)) return candidate;
  }
}

export function createDemoEnvironment(options: DemoEnvironmentOptions): DemoEnvironment {
  const { now } = options;
  const seed = options.seed ?? 'nfcpay-demo';
  const currency = options.currency ?? 'CNY';
  const offlineLimit = options.offlineLimit ?? 100_000;
  const make = (label: string, notBefore: number, notAfter: number, name: string) =>
    createAuthority({
      kid: `demo-${label}`,
      authorityId: label === 'rogue' ? 'demo-rogue' : DEMO_AUTHORITY_ID,
      secretKey: deriveSecretKey(seed, `authority/${label}`),
      notBefore,
      notAfter,
      name,
    });
  const authorities = {
    main: make('main', now - 30 * DAY, now + 10 * YEAR, 'Demo Credit Authority'),
    retired: make('retired', now - 3 * YEAR, now - YEAR, 'Demo Authority (retired key)'),
    revoked: make('revoked', now - 30 * DAY, now + 10 * YEAR, 'Demo Authority (revoked key)'),
    rogue: make('rogue', now - 30 * DAY, now + 10 * YEAR, 'Rogue Authority'),
  };
  const trusted = [authorities.main, authorities.retired, authorities.revoked];
  const revocationContent = { sequence: 1, issuedAt: now, licenseSerials: [DEMO_REVOKED_SERIAL], authorityKids: [authorities.revoked.kid] };
  const revocationFile = publishRevocationList(authorities.main, revocationContent);
  const trustStore = createTrustStore(trusted.map(trustedAuthorityOf));
  const credentials = new Map<ScenarioName, WalletCredentials>();
  const wallets = new Map<ScenarioName, PhoneWallet>();

  const credentialsFor = (scenario: ScenarioName): WalletCredentials => {
    const known = credentials.get(scenario);
    if (known) return known;
    const variant: LicenseVariant = 'license' in SCENARIOS[scenario] ? (SCENARIOS[scenario] as { license: LicenseVariant }).license : {};
    const appSecretKey = deriveSecretKey(seed, `app/${scenario}`);
    const made = {
      appSecretKey,
      license: demoLicense(authorities, variant, appSecretKey, { now, currency, offlineLimit, serial: `demo-${scenario}` }),
    };
    credentials.set(scenario, made);
    return made;
  };

  return {
    authority: authorities.main,
    authorities,
    trustStore,
    trustEntries: trusted.map(exportTrustEntry),
    revocations: mergeRevocationLists([verifyRevocationList(revocationFile, trustStore, now)]),
    revocationFile,
    currency,
    credentialsFor,
    walletFor(scenario) {
      const known = wallets.get(scenario);
      if (known) return known;
      const wallet = new PhoneWallet({
        credentials: credentialsFor(scenario),
        counter: options.counterFor?.(scenario) ?? memoryCounterStore(),
        misbehaviour: SCENARIOS[scenario].misbehaviour,
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
      wallets.set(scenario, wallet);
      return wallet;
    },
  };
}

/** A good demo license's validity around the instant it is issued: from a day before to a year after. */
export const DEMO_LICENSE_WINDOW = { beforeMs: DAY, afterMs: YEAR } as const;

function demoLicense(
  authorities: DemoEnvironment['authorities'],
  variant: LicenseVariant,
  appSecretKey: Uint8Array,
  defaults: { now: number; currency: string; offlineLimit: number; serial: string },
): Uint8Array {
  const { now } = defaults;
  const issuer = authorities[variant.issuer ?? 'main'];
  const window =
    variant.validity === 'expired'
      ? { notBefore: now - 2 * YEAR, notAfter: now - YEAR }
      : variant.validity === 'not-yet-valid'
        ? { notBefore: now + YEAR, notAfter: now + 2 * YEAR }
        : { notBefore: now - DEMO_LICENSE_WINDOW.beforeMs, notAfter: now + DEMO_LICENSE_WINDOW.afterMs };
  const appPublicKey = variant.invalidAppKey ? invalidPoint() : p256.getPublicKey(appSecretKey, false);
  const serial = variant.revokedSerial ? DEMO_REVOKED_SERIAL : defaults.serial;
  const request = {
    serial,
    accountId: DEMO_ACCOUNT_ID,
    appPublicKey,
    offlineLimit: variant.offlineLimit ?? defaults.offlineLimit,
    currency: variant.currency ?? defaults.currency,
    ...window,
  };
  // Defective licenses (bad app key, foreign algorithm) bypass issueLicense's checks on purpose.
  if (variant.invalidAppKey || (variant.algorithm !== undefined && variant.algorithm !== COSE_ALGORITHMS[issuer.alg])) {
    return signLicenseContent(
      issuer,
      { ...request, notBefore: Math.floor(request.notBefore / 1000), notAfter: Math.floor(request.notAfter / 1000) },
      variant.algorithm,
    );
  }
  return issueLicense(issuer, request).license;
}

/** 0x04 || X = 1 || Y = 1: the right shape, not on the curve. */
function invalidPoint(): Uint8Array {
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point[32] = 1;
  point[64] = 1;
  return point;
}
