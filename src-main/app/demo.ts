// Demo mode: a credit authority and a simulated phone that live in <dataDir>/demo/, so a
// newcomer can run the whole flow without a reader or a real authority. The demo world comes
// from the wallet library (src-main/wallet/demo.ts): its keys derive from a per-terminal random
// seed kept in demo/demo.json (mode 0600), so no two installs share demo keys. Each scenario's
// phone keeps its app counter in demo/counters/, so counters keep growing across restarts and
// the ledger never sees a replay that is not one. Turning demo mode on trusts the demo
// authorities (marked demo) and their revocation list; every payment with the simulated phone
// is marked demo (ledger rows, receipts). The demo licenses are valid for a year from when they
// were issued; they are issued afresh (same keys, same serials, counters kept) from 30 days
// before they expire, so a demo terminal never starts declining its own demo phone.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock, RandomSource } from '../domain/payment';
import type { SimulatedPhone } from '../reader/stub-reader';
import { fileCounterStore, type CounterStore } from '../wallet/counter-store';
import { createDemoEnvironment, DEMO_LICENSE_WINDOW, type DemoEnvironment } from '../wallet/demo';
import { simulatedPhone } from '../wallet/wallet-channel';
import { SCENARIOS, SCENARIO_NAMES, isScenarioName, type Expectation, type ScenarioName } from '../wallet/scenarios';
import { AppError } from './errors';
import { readTextIfExists, writeFileAtomic } from '../fs/atomic-file';
import { silentLogger, type Logger } from './logger';
import type { TrustStoreAdmin } from './trust-store-admin';

export const DEMO_DIR = 'demo';
const DEMO_FILE = 'demo.json';

const DemoFileSchema = z
  .object({
    version: z.literal(1),
    /** Secret: every demo key derives from it. */
    seed: z.string().regex(/^[0-9a-f]{64}$/),
    /** The demo authorities' validity windows are laid around this instant. */
    createdAt: z.number().int().nonnegative(),
    /** When the demo licenses were last issued (absent: at createdAt). */
    licensesIssuedAt: z.number().int().nonnegative().optional(),
  })
  .strict();
type DemoFile = z.infer<typeof DemoFileSchema>;

const DAY = 86_400_000;
/** The demo licenses are issued afresh this long before they expire. */
export const DEMO_RENEW_BEFORE_MS = 30 * DAY;

export interface DemoLicenses {
  issuedAt: number;
  /** When the good demo licenses stop being valid unless renewed. */
  expiresAt: number;
}

export interface DemoScenario {
  name: ScenarioName;
  description: string;
  expect: Expectation;
}

export interface DemoInfo {
  /** kid of the demo authority that signs good licenses. */
  authorityKid: string;
  /** Every demo kid now in the trust store. */
  trustedKids: string[];
  createdAt: number;
}

export interface DemoMode {
  /** True once demo/demo.json exists. */
  exists(): boolean;
  /**
   * Creates the demo world once, then trusts its authorities (marked demo) and imports its
   * revocation list; idempotent. `currency` is the store's (the demo licenses are issued in it).
   */
  ensure(options: { currency: string; trust: TrustStoreAdmin }): DemoInfo;
  /** The named scenario's phone for one tap (reset, ready for SELECT). Throws AppError('not_found'). */
  phoneFor(scenario: string): SimulatedPhone;
  /** The scenarios the simulated phone can play, in catalogue order. */
  scenarios(): DemoScenario[];
  /** Currency the demo licenses are issued in (follows the store's country). */
  setCurrency(currency: string): void;
  /** When the demo licenses were issued and expire; undefined before the demo world exists. */
  licenses(): DemoLicenses | undefined;
  /**
   * Issues the demo licenses afresh when they expire within DEMO_RENEW_BEFORE_MS (or the clock
   * is before their window); true when it did. Called by every phoneFor.
   */
  renewLicensesIfDue(): boolean;
}

export interface DemoOptions {
  dataDir: string;
  clock?: Clock;
  random: RandomSource;
  logger?: Logger;
  /** License currency until setCurrency is called. */
  currency?: string;
}

export function openDemo(options: DemoOptions): DemoMode {
  const dir = join(options.dataDir, DEMO_DIR);
  const path = join(dir, DEMO_FILE);
  const clock = options.clock ?? Date.now;
  const log = (options.logger ?? silentLogger).child('demo');
  let currency = options.currency ?? 'CNY';
  let file: DemoFile | undefined = read();
  const environments = new Map<string, DemoEnvironment>();
  const counters = new Map<ScenarioName, CounterStore>();
  // Counter files are read now: a damaged one stops the terminal at start, naming the file,
  // rather than failing a payment later.
  for (const name of existsSync(join(dir, 'counters')) ? readdirSync(join(dir, 'counters')) : []) {
    const scenario = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
    if (isScenarioName(scenario)) counters.set(scenario, fileCounterStore(join(dir, 'counters', name)));
  }

  function read(): DemoFile | undefined {
    const text = readTextIfExists(path);
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('rejected', `the demo file ${path} is not valid JSON; remove the demo folder to start demo mode afresh`);
    }
    const parsed = DemoFileSchema.safeParse(json);
    if (!parsed.success) throw new AppError('rejected', `the demo file ${path} is invalid: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  function created(): DemoFile {
    if (file) return file;
    mkdirSync(join(dir, 'counters'), { recursive: true, mode: 0o700 });
    const next: DemoFile = { version: 1, seed: Buffer.from(options.random(32)).toString('hex'), createdAt: clock() };
    writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`, 0o600);
    file = next;
    log.info('demo.created', { createdAt: next.createdAt });
    return next;
  }

  function counterFor(scenario: ScenarioName): CounterStore {
    let store = counters.get(scenario);
    if (!store) {
      mkdirSync(join(dir, 'counters'), { recursive: true, mode: 0o700 });
      store = fileCounterStore(join(dir, 'counters', `${scenario}.json`));
      counters.set(scenario, store);
    }
    return store;
  }

  /** The demo world with its windows laid around `at` (the keys depend on the seed only). */
  function environmentAt(at: number): DemoEnvironment {
    const key = `${currency}@${at}`;
    let env = environments.get(key);
    if (!env) {
      env = createDemoEnvironment({ now: at, seed: created().seed, currency, counterFor });
      environments.set(key, env);
    }
    return env;
  }

  /** Authorities and revocation list: as trusted when the demo world was created. */
  function authorityEnvironment(): DemoEnvironment {
    return environmentAt(created().createdAt);
  }

  /** The phones: their licenses as last issued. */
  function phoneEnvironment(): DemoEnvironment {
    const f = created();
    return environmentAt(f.licensesIssuedAt ?? f.createdAt);
  }

  function licenses(): DemoLicenses | undefined {
    if (!file) return undefined;
    const issuedAt = file.licensesIssuedAt ?? file.createdAt;
    return { issuedAt, expiresAt: issuedAt + DEMO_LICENSE_WINDOW.afterMs };
  }

  function renewLicensesIfDue(): boolean {
    const current = licenses();
    if (!file || !current) return false;
    const now = clock();
    const due = now >= current.expiresAt - DEMO_RENEW_BEFORE_MS || now < current.issuedAt - DEMO_LICENSE_WINDOW.beforeMs;
    if (!due) return false;
    const next: DemoFile = { ...file, licensesIssuedAt: now };
    writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`, 0o600);
    file = next;
    // Wallets of the old licenses go; the phones' counters live in their files and carry on.
    environments.clear();
    log.info('demo.licenses-renewed', { previousExpiry: current.expiresAt, issuedAt: now, expiresAt: now + DEMO_LICENSE_WINDOW.afterMs });
    return true;
  }

  return {
    exists: () => file !== undefined,
    ensure({ currency: storeCurrency, trust }) {
      currency = storeCurrency;
      const env = authorityEnvironment();
      for (const entry of env.trustEntries) trust.importEntry(JSON.stringify(entry), { demo: true });
      const imported = trust.revocationSummaries().find((s) => s.issuerKid === env.authority.kid);
      if (!imported) trust.importRevocations(JSON.stringify(env.revocationFile));
      log.info('demo.trusted', { kids: env.trustEntries.map((e) => e.kid) });
      return { authorityKid: env.authority.kid, trustedKids: env.trustEntries.map((e) => e.kid), createdAt: created().createdAt };
    },
    phoneFor(scenario) {
      if (!isScenarioName(scenario)) throw new AppError('not_found', `no simulated phone scenario named ${scenario}`);
      renewLicensesIfDue();
      const wallet = phoneEnvironment().walletFor(scenario);
      wallet.reset();
      return simulatedPhone(wallet);
    },
    scenarios() {
      return SCENARIO_NAMES.map((name) => ({ name, description: SCENARIOS[name].description, expect: SCENARIOS[name].expect }));
    },
    setCurrency(next) {
      currency = next;
    },
    licenses,
    renewLicensesIfDue,
  };
}
