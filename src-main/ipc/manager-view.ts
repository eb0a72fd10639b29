// The manager's screens as the contract shows them: the log, X and Z reports, trust-store keys,
// the PIN's state and demo mode. Pure: what the services read is passed in.
import type { PinStatus as StoredPinStatus } from '../app/pin';
import type { TrustKeyInfo, TrustKeyPreview as StoredPreview } from '../app/trust-store-admin';
import { isReasonCode } from '../domain/reasons';
import type { AttemptSummary } from '../ledger/queries';
import type { CurrencyTotals, DayReport } from '../ledger/reports';
import type { DemoStatus, LogEntry, PinStatus, Report, TrustKey, TrustKeyPreview } from './contract';
import { rowLicenseFactsVerified } from './receipt-view';

function totalsOf(list: CurrencyTotals[]): Report['totals'] {
  return list.map((t) => ({
    currency: t.currency,
    approvedCount: t.approvedCount,
    approvedTotal: t.approvedTotal,
    voidCount: t.voidCount,
    voidTotal: t.voidTotal,
    refundCount: t.refundCount,
    refundTotal: t.refundTotal,
    netTotal: t.netTotal,
    declinedCount: t.declinedCount,
    declinedTotal: t.declinedTotal,
  }));
}

export function reportOf(r: DayReport, paperWidth: Report['paperWidth']): Report {
  return {
    kind: r.type,
    businessDate: r.businessDate,
    terminalId: r.terminalId,
    merchantId: r.merchantId,
    ...(r.type === 'Z' && r.zNumber !== null ? { zNumber: r.zNumber } : {}),
    generatedAt: r.generatedAt,
    counts: { ...r.counts },
    totals: totalsOf(r.totals),
    demoTotals: totalsOf(r.demoTotals),
    declinesByReason: r.declinesByReason.filter((d) => isReasonCode(d.reason)) as Report['declinesByReason'],
    ...(r.first ? { firstTransactionAt: r.first.recordedAt } : {}),
    ...(r.last ? { lastTransactionAt: r.last.recordedAt } : {}),
    ...(r.chainHead ? { chainHead: r.chainHead.hash } : {}),
    demo: r.demoRows > 0,
    paperWidth,
  };
}

/** One row of the manager's log; `fallbackCurrency` is the store's, for a row without one. */
export function logEntryOf(a: AttemptSummary, fallbackCurrency: string): LogEntry {
  const licensed = Boolean(a.accountMasked) || Boolean(a.licenseSerial);
  return {
    seq: a.seq,
    transactionId: a.transactionId ?? '',
    type: a.kind === 'void' || a.kind === 'refund' ? a.kind : 'sale',
    status: a.status === 'closed' ? 'approved' : a.status,
    ...(a.reason && isReasonCode(a.reason) ? { reason: a.reason } : {}),
    amount: a.amount ?? 0,
    currency: a.currency ?? fallbackCurrency,
    ...(a.accountMasked ? { maskedAccount: a.accountMasked } : {}),
    ...(a.licenseSerial ? { licenseSerial: a.licenseSerial } : {}),
    // The manager sees a phone's claim too, marked as one.
    ...(licensed ? { licenseFactsVerified: rowLicenseFactsVerified(a) } : {}),
    ...(a.appCounter !== null ? { appCounter: a.appCounter } : {}),
    recordedAt: a.recordedAt,
    businessDate: a.businessDate,
    demo: a.demo,
    ...(a.originalTransactionId && a.kind === 'void' ? { voidOf: a.originalTransactionId } : {}),
    ...(a.kind === 'void' && a.note ? { voidReason: a.note } : {}),
    voided: a.voidedBy !== null,
    ...(a.originalTransactionId && a.kind === 'refund' ? { refundOf: a.originalTransactionId } : {}),
    ...(a.refundedTotal > 0 ? { refunded: a.refundedTotal } : {}),
  };
}

export function trustKeyOf(k: TrustKeyInfo): TrustKey {
  return {
    kid: k.kid,
    fingerprint: k.fingerprint,
    algorithm: k.algorithm,
    ...(k.label ? { label: k.label } : {}),
    notBefore: k.notBefore,
    notAfter: k.notAfter,
    addedAt: k.addedAt,
    ...(k.retiredAt !== undefined ? { retiredAt: k.retiredAt } : {}),
    demo: k.demo,
    status: k.status,
  };
}

export function trustPreviewOf(p: StoredPreview): TrustKeyPreview {
  return {
    token: p.token,
    kid: p.kid,
    fingerprint: p.fingerprint,
    algorithm: p.algorithm,
    ...(p.label ? { label: p.label } : {}),
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    alreadyPresent: p.alreadyPresent,
  };
}

/** The PIN's state at `now`: a lockout that has run out is no lockout. */
export function pinStateOf(status: StoredPinStatus, now: number): PinStatus {
  const locked = status.lockedUntil !== null && status.lockedUntil > now;
  return {
    locked,
    ...(locked && status.lockedUntil !== null ? { lockedUntil: status.lockedUntil } : {}),
    failedAttempts: status.failures,
    remainingAttempts: locked ? 0 : status.triesLeft,
  };
}

export function demoStatusOf(
  active: boolean,
  licenses: { issuedAt: number; expiresAt: number } | undefined,
  trustKeys: readonly Pick<TrustKeyInfo, 'demo' | 'status'>[],
): DemoStatus {
  return {
    active,
    ...(licenses ? { licensesIssuedAt: licenses.issuedAt, licensesExpireAt: licenses.expiresAt } : {}),
    realKeys: trustKeys.filter((k) => !k.demo && k.status === 'active').length,
  };
}
