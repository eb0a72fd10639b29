// Refunds as the terminal grants them: who may authorise one (the manager, or a cashier within
// the allowance set in settings), the ledger's own rules (ledger.refund), and the optional tap of
// the customer's phone. The command line and the IPC services both call `refundSale`, so the
// rule exists once. Every refusal is a stable code (domain/refunds.ts) with a detail for the log.
import type { Ledger, RefundRecord } from '../ledger/ledger';
import { isLedgerError, type LedgerErrorCode } from '../ledger/errors';
import type { RefundAuthorisedBy, RefundRefusal } from '../domain/refunds';
import type { PinService } from './pin';

const LEDGER_REFUSALS: Partial<Record<LedgerErrorCode, RefundRefusal>> = {
  REFUND_NOT_FOUND: 'not_found',
  REFUND_NOT_A_SALE: 'not_a_sale',
  REFUND_NOT_APPROVED: 'not_approved',
  REFUND_VOIDED: 'voided',
  REFUND_CURRENCY: 'other_currency',
  REFUND_INVALID_AMOUNT: 'invalid_amount',
  REFUND_OVER_REMAINDER: 'over_remainder',
};

/** Who vouches for a refund: a manager session already opened with the PIN, the PIN given now, or the cashier. */
export type RefundAuthority = { kind: 'manager-session' } | { kind: 'pin'; pin: string } | { kind: 'cashier' };

/** The customer's phone, tapped at the refund: its license verified now (refund-tap.ts). */
export interface VerifiedTap {
  accountId: string;
  licenseSerial: string;
  authorityKid: string;
  paymentRequest: Uint8Array;
  paymentResponse: Uint8Array;
  license: Uint8Array;
}

export type TapOutcome = { ok: true; tap: VerifiedTap } | { ok: false; detail: string };

export interface RefundRequest {
  transactionId: string;
  /** Integer minor units. */
  amount: number;
  /** When given, must be the sale's currency. */
  currency?: string;
  reason?: string;
  authority: RefundAuthority;
  /** The refund's own id (32 lowercase hex) for a till that retries. */
  refundId?: string;
  /**
   * Asks the customer's phone for a tap once the refund is authorised and allowed; gets the
   * refund's id, amount and currency for the payment request the phone sees.
   */
  tap?: (order: { transactionId: string; amount: number; currency: string }) => Promise<TapOutcome>;
}

export type RefundOutcome =
  | { ok: true; refund: RefundRecord; authorisedBy: RefundAuthorisedBy; tapped: boolean }
  | { ok: false; reason: RefundRefusal; detail: string };

export interface RefundDeps {
  ledger: Ledger;
  pin: PinService;
  /** The cashier allowance in minor units of the store's currency (0: every refund needs the manager). */
  cashierLimit: () => number;
  /** A fresh 32-hex refund id (so a tap can name the refund before it is recorded). */
  newId: () => string;
}

const refused = (reason: RefundRefusal, detail: string): RefundOutcome => ({ ok: false, reason, detail });

function ledgerRefusal(error: unknown): RefundOutcome {
  if (isLedgerError(error)) {
    const reason = LEDGER_REFUSALS[error.code];
    if (reason) return refused(reason, error.detail);
    return refused('cannot_record', `${error.code}: ${error.detail}`);
  }
  throw error;
}

/** Who authorises this refund, or the refusal: the one place the refund authorisation rule lives. */
async function authorise(deps: RefundDeps, request: RefundRequest): Promise<{ by: RefundAuthorisedBy } | RefundOutcome> {
  const { authority } = request;
  if (authority.kind === 'manager-session') return { by: 'manager' };
  if (authority.kind === 'pin') {
    const check = await deps.pin.verify(authority.pin, 'refund');
    if (check.result === 'ok') return { by: 'manager' };
    if (check.result === 'locked') return refused('pin_locked', `the manager PIN is locked until ${new Date(check.until).toISOString()}`);
    if (check.result === 'not-set') return refused('pin_required', 'no manager PIN is set');
    return refused('wrong_pin', `wrong manager PIN (${check.triesLeft} tries left)`);
  }
  const limit = deps.cashierLimit();
  if (limit <= 0) return refused('pin_required', 'refunds need the manager PIN (no cashier allowance is set)');
  if (request.amount > limit)
    return refused('over_cashier_limit', `a cashier may refund up to ${limit} minor units; ${request.amount} needs the manager PIN`);
  return { by: 'cashier' };
}

/**
 * Refunds `request.amount` of an approved sale: authorised, checked by the ledger's rules before
 * any tap, then recorded. Resolves with the recorded refund or a refusal; never records half.
 */
export async function refundSale(deps: RefundDeps, request: RefundRequest): Promise<RefundOutcome> {
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    return refused('invalid_amount', `a refund amount is a positive whole number of minor units, not ${String(request.amount)}`);
  }
  const who = await authorise(deps, request);
  if ('ok' in who) return who;
  const record = (refundId: string | undefined, tap?: VerifiedTap): RefundOutcome => {
    try {
      const refund = deps.ledger.refund(request.transactionId, {
        amount: request.amount,
        ...(request.currency !== undefined ? { currency: request.currency } : {}),
        reason: request.reason ?? null,
        by: who.by,
        ...(refundId !== undefined ? { transactionId: refundId } : {}),
        ...(tap ? { tap: { paymentRequest: tap.paymentRequest, paymentResponse: tap.paymentResponse, license: tap.license } } : {}),
      });
      return { ok: true, refund, authorisedBy: who.by, tapped: tap !== undefined };
    } catch (error) {
      return ledgerRefusal(error);
    }
  };
  if (!request.tap) return record(request.refundId);

  // Check what the ledger would refuse before asking the customer to tap.
  let sale;
  try {
    const found = deps.ledger.refundable(request.transactionId);
    sale = found.sale;
    if (sale.status !== 'approved') return refused('not_approved', `sale ${request.transactionId} was ${sale.status}`);
    if (found.voided) return refused('voided', `sale ${request.transactionId} was voided`);
    if (request.currency !== undefined && request.currency !== sale.currency) {
      return refused(
        'other_currency',
        `sale ${request.transactionId} was in ${String(sale.currency)}, the refund is asked in ${request.currency}`,
      );
    }
    if (request.amount > found.remainder)
      return refused('over_remainder', `sale ${request.transactionId} has ${found.remainder} left to refund`);
  } catch (error) {
    return ledgerRefusal(error);
  }
  const refundId = request.refundId ?? deps.newId();
  const tapped = await request.tap({ transactionId: refundId, amount: request.amount, currency: sale.currency as string });
  if (!tapped.ok) return refused('tap_failed', tapped.detail);
  if (tapped.tap.accountId !== sale.accountId) {
    return refused(
      'tap_other_account',
      `the phone tapped is of account ${tapped.tap.accountId}, the sale was paid by ${String(sale.accountId)}`,
    );
  }
  return record(refundId, tapped.tap);
}
