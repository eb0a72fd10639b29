// Read-only questions the pipeline and the manager screens ask.
import type Database from 'better-sqlite3';
import type { LicenseIdentity } from '../domain/payment';
import type { EntryKind, EntryStatus, LedgerRow } from './row';
import { fromDb, ROW_COLUMNS } from './store';
import { maskAccount } from './mask';
import { prepared } from './prepared';

export interface AttemptQuery {
  businessDate: string;
  status?: EntryStatus | EntryStatus[];
  kind?: EntryKind | EntryKind[]; // default: sale, void and refund
  reason?: string;
  minAmount?: number; // integer minor units, inclusive
  maxAmount?: number;
  /** Case-insensitive substring of the transaction id, account id or license serial. */
  search?: string;
  offset?: number;
  limit?: number; // default 50, at most 500
  order?: 'asc' | 'desc'; // by sequence number, default 'desc' (newest first)
}

export interface AttemptSummary {
  seq: number;
  kind: EntryKind;
  status: EntryStatus;
  reason: string | null;
  detail: string | null;
  transactionId: string | null;
  originalTransactionId: string | null;
  voidedBy: string | null; // transaction id of the void that cancels this sale
  refundedTotal: number; // sales: what their refunds add up to (0 for other rows)
  amount: number | null;
  currency: string | null;
  accountId: string | null;
  accountMasked: string | null;
  licenseSerial: string | null;
  /** The license's authority (with licenseSerial its identity); null on rows recorded before authority ids. */
  authorityId: string | null;
  appCounter: number | null;
  recordedAt: number;
  localTime: string;
  businessDate: string;
  demo: boolean;
  itemCount: number;
  /** The terminal sent the deduction request: the phone's license had passed every license check. */
  deductionSent: boolean;
  operator: string | null;
  note: string | null;
  zNumber: number | null;
}

export interface AttemptPage {
  total: number;
  offset: number;
  limit: number;
  rows: AttemptSummary[];
}

const asList = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

export function listAttempts(db: Database.Database, query: AttemptQuery): AttemptPage {
  const where: string[] = ['e.business_date = @businessDate'];
  const params: Record<string, unknown> = { businessDate: query.businessDate };
  const kinds = asList(query.kind) ?? ['sale', 'void', 'refund'];
  where.push(`e.kind IN (${kinds.map((_, i) => `@kind${i}`).join(', ')})`);
  kinds.forEach((kind, i) => (params[`kind${i}`] = kind));
  const statuses = asList(query.status);
  if (statuses && statuses.length > 0) {
    where.push(`e.status IN (${statuses.map((_, i) => `@status${i}`).join(', ')})`);
    statuses.forEach((status, i) => (params[`status${i}`] = status));
  }
  if (query.reason !== undefined) {
    where.push('e.reason = @reason');
    params.reason = query.reason;
  }
  if (query.minAmount !== undefined) {
    where.push('e.amount >= @minAmount');
    params.minAmount = query.minAmount;
  }
  if (query.maxAmount !== undefined) {
    where.push('e.amount <= @maxAmount');
    params.maxAmount = query.maxAmount;
  }
  const search = query.search?.trim();
  if (search) {
    where.push(
      `(e.transaction_id LIKE @search ESCAPE '\\' OR e.account_id LIKE @search ESCAPE '\\'
        OR e.license_serial LIKE @search ESCAPE '\\' OR e.original_transaction_id LIKE @search ESCAPE '\\')`,
    );
    params.search = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const limit = Math.min(500, Math.max(1, Math.floor(query.limit ?? 50)));
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const filter = where.join(' AND ');
  const total = (prepared(db, `SELECT COUNT(*) AS n FROM entries e WHERE ${filter}`).get(params) as { n: number }).n;
  const rows = prepared(
    db,
    `SELECT e.seq, e.kind, e.status, e.reason, e.detail, e.transaction_id AS transactionId,
              e.original_transaction_id AS originalTransactionId,
              (SELECT v.transaction_id FROM entries v WHERE v.kind = 'void' AND v.original_transaction_id = e.transaction_id) AS voidedBy,
              CASE WHEN e.kind = 'sale' THEN (SELECT COALESCE(SUM(r.amount), 0) FROM entries r
                    WHERE r.kind = 'refund' AND r.original_transaction_id = e.transaction_id) ELSE 0 END AS refundedTotal,
              e.amount, e.currency, e.account_id AS accountId, e.license_serial AS licenseSerial,
              e.authority_id AS authorityId,
              e.app_counter AS appCounter, e.recorded_at AS recordedAt, e.local_time AS localTime,
              e.business_date AS businessDate, e.demo,
              (SELECT COUNT(*) FROM line_items i WHERE i.entry_seq = e.seq) AS itemCount,
              e.deduction_request IS NOT NULL AS deductionSent,
              e.operator, e.note, e.z_number AS zNumber
         FROM entries e WHERE ${filter}
         ORDER BY e.seq ${query.order === 'asc' ? 'ASC' : 'DESC'} LIMIT @limit OFFSET @offset`,
  ).all({ ...params, limit, offset }) as (Omit<AttemptSummary, 'demo' | 'accountMasked' | 'deductionSent'> & {
    demo: number;
    deductionSent: number;
  })[];
  return {
    total,
    offset,
    limit,
    rows: rows.map((row) => ({
      ...row,
      demo: row.demo === 1,
      deductionSent: row.deductionSent === 1,
      accountMasked: maskAccount(row.accountId),
    })),
  };
}

export function getRowByTransactionId(db: Database.Database, transactionId: string): LedgerRow | undefined {
  const raw = prepared(db, `SELECT ${ROW_COLUMNS} FROM entries e WHERE e.transaction_id = ?`).raw(true).get(transactionId) as
    unknown[] | undefined;
  return raw ? fromDb(raw) : undefined;
}

/** The newest sale attempt (approved or declined), by ledger order. */
export function getLastSale(db: Database.Database): LedgerRow | undefined {
  const raw = prepared(db, `SELECT ${ROW_COLUMNS} FROM entries e WHERE e.kind = 'sale' ORDER BY e.seq DESC LIMIT 1`).raw(true).get() as
    unknown[] | undefined;
  return raw ? fromDb(raw) : undefined;
}

export function isVoided(db: Database.Database, transactionId: string): boolean {
  return prepared(db, "SELECT 1 FROM entries WHERE kind = 'void' AND original_transaction_id = ?").get(transactionId) !== undefined;
}

export function isRefunded(db: Database.Database, transactionId: string): boolean {
  return prepared(db, "SELECT 1 FROM entries WHERE kind = 'refund' AND original_transaction_id = ?").get(transactionId) !== undefined;
}

/** One refund of a sale, as the refund screen and receipts list them. */
export interface SaleRefund {
  seq: number;
  transactionId: string;
  amount: number;
  businessDate: string;
  localTime: string;
  operator: string;
  note: string | null;
}

/** The refunds recorded for a sale, in ledger order. */
export function refundsOf(db: Database.Database, saleTransactionId: string): SaleRefund[] {
  return prepared(
    db,
    `SELECT seq, transaction_id AS transactionId, amount, business_date AS businessDate, local_time AS localTime,
              operator, note
         FROM entries WHERE kind = 'refund' AND original_transaction_id = ? ORDER BY seq`,
  ).all(saleTransactionId) as SaleRefund[];
}

/** The part of an approved sale not yet refunded: its amount minus its refund rows (never stored). */
export function refundableRemainder(db: Database.Database, sale: Pick<LedgerRow, 'transactionId' | 'amount'>): number {
  const refunded = prepared(db, "SELECT COALESCE(SUM(amount), 0) FROM entries WHERE kind = 'refund' AND original_transaction_id = ?")
    .pluck()
    .get(sale.transactionId) as number;
  return (sale.amount ?? 0) - refunded;
}

/**
 * The authority of a row's license: its authority_id, or for rows recorded before authority ids
 * its authority_kid (legacyAuthorityId: an entry without an authority id is the authority of its
 * own kid). Index entries_by_license_identity (migration 005) is on this expression.
 */
const LICENSE_AUTHORITY = 'COALESCE(authority_id, authority_kid)';

export function lastCounter(db: Database.Database, license: LicenseIdentity): number | undefined {
  const row = prepared(
    db,
    `SELECT MAX(app_counter) AS counter FROM entries
         WHERE license_serial = ? AND ${LICENSE_AUTHORITY} = ? AND kind = 'sale' AND status = 'approved'`,
  ).get(license.serial, license.authorityId) as { counter: number | null };
  return row.counter ?? undefined;
}

/**
 * What a license spent offline here: its approved, not voided sales minus their refunds. A
 * refund row carries the license of the sale it refunds (docs/protocol.md §9 step 12).
 */
export function spentOffline(db: Database.Database, license: LicenseIdentity, currency: string): number {
  const refunded = prepared(
    db,
    `SELECT COALESCE(SUM(amount), 0) FROM entries
         WHERE license_serial = ? AND ${LICENSE_AUTHORITY} = ? AND currency = ? AND kind = 'refund'`,
  )
    .pluck()
    .get(license.serial, license.authorityId, currency) as number;
  const row = prepared(
    db,
    `SELECT COALESCE(SUM(amount), 0) AS spent FROM entries s
         WHERE license_serial = ? AND ${LICENSE_AUTHORITY} = ? AND currency = ? AND kind = 'sale' AND status = 'approved'
           AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.kind = 'void' AND v.original_transaction_id = s.transaction_id)`,
  ).get(license.serial, license.authorityId, currency) as { spent: number };
  return row.spent - refunded;
}

export interface BusinessDaySummary {
  businessDate: string;
  rows: number;
  zNumber: number | null;
}

/** Business dates that have rows, newest first (for the manager's day picker). */
export function businessDays(db: Database.Database, limit = 366): BusinessDaySummary[] {
  return prepared(
    db,
    `SELECT business_date AS businessDate, COUNT(*) AS rows, MAX(z_number) AS zNumber
         FROM entries GROUP BY business_date ORDER BY business_date DESC LIMIT ?`,
  ).all(limit) as BusinessDaySummary[];
}
