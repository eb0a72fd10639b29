// Shared fixtures for protocol tests: a demo world, an order, a history that learns from results.
import { randomBytes } from 'node:crypto';
import type { LicenseHistory, LicenseIdentity, PaymentOrder, SessionResult } from '../../../src-main/domain/payment';
import { licenseIdentityKey } from '../../../src-main/verification/license-identity';
import { createDemoEnvironment, type DemoEnvironment } from '../../../src-main/wallet/demo';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';
import type { ScenarioName } from '../../../src-main/wallet/scenarios';
import { type VerificationContext } from '../../../src-main/verification/pipeline';
import { CLOCK_SKEW_MS } from '../../../src-main/verification/license';
import { nobleVerifier } from '../../../src-main/protocol/signature';

export const NOW = Date.parse('2026-06-01T10:00:00Z');

export function order(overrides: Partial<PaymentOrder> = {}): PaymentOrder {
  return {
    transactionId: randomBytes(16).toString('hex'),
    amount: 1234,
    currency: 'CNY',
    merchantId: 'M-0001',
    terminalId: 'T-01',
    ...overrides,
  };
}

/** Remembers counters and approved spend per license, like the ledger does. */
export class MemoryHistory implements LicenseHistory {
  private readonly counters = new Map<string, number>();
  private readonly spent = new Map<string, number>();
  lastCounter(license: LicenseIdentity): number | undefined {
    return this.counters.get(licenseIdentityKey(license));
  }
  spentOffline(license: LicenseIdentity, currency: string): number {
    return this.spent.get(`${licenseIdentityKey(license)} ${currency}`) ?? 0;
  }
  record(result: SessionResult): void {
    const { facts } = result.decision;
    if (facts.licenseSerial === undefined || facts.authorityId === undefined || facts.appCounter === undefined) return;
    if (result.decision.outcome !== 'approved') return;
    const license = licenseIdentityKey({ authorityId: facts.authorityId, serial: facts.licenseSerial });
    this.counters.set(license, Math.max(facts.appCounter, this.counters.get(license) ?? 0));
    const key = `${license} ${result.order.currency}`;
    this.spent.set(key, (this.spent.get(key) ?? 0) + result.order.amount);
  }
}

export function verificationFor(env: DemoEnvironment, history: LicenseHistory, now = NOW): VerificationContext {
  return {
    clock: () => now,
    clockSkewMs: CLOCK_SKEW_MS,
    verifier: nobleVerifier,
    trustStore: env.trustStore,
    revocations: env.revocations,
    history,
  };
}

export function demo(): DemoEnvironment {
  return createDemoEnvironment({ now: NOW, seed: 'protocol-tests' });
}

export async function tap(
  env: DemoEnvironment,
  scenario: ScenarioName,
  history: MemoryHistory = new MemoryHistory(),
  extra: { order?: PaymentOrder; stepTimeoutMs?: number; signal?: AbortSignal } = {},
): Promise<SessionResult> {
  const channel = walletChannel(env.walletFor(scenario));
  channel.tap();
  const result = await runTerminalSession({
    channel,
    order: extra.order ?? order(),
    verification: verificationFor(env, history),
    random: (n) => new Uint8Array(randomBytes(n)),
    stepTimeoutMs: extra.stepTimeoutMs ?? 1000,
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
  history.record(result);
  return result;
}
