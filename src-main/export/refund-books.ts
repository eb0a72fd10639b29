// verify-export's books of sales and refunds: every refund row is checked against the sale it
// names, found in this export, in an earlier one given with --previous, or in the earlier days a
// settlement service holds (each read in ledger order), and no sale is refunded past its amount.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReadManifest } from './manifest';
import { parseJsonSummary, RecordFormatError, rowLabel, type RecordSummary } from './records';

/** The facts a refund row copies from its sale (docs/ledger.md "Refund rows"). */
const COPIED = ['currency', 'accountId', 'licenseSerial', 'authorityKid', 'demo', 'terminalId', 'merchantId'] as const;

/**
 * Only what a refund is checked against: every sale of the day stays booked until the end, so
 * keeping its whole summary (license, hashes, items: about 2 KB) grew memory with the day.
 */
type SaleFacts = Pick<RecordSummary, (typeof COPIED)[number] | 'amount'>;

interface BookedSale {
  approved: boolean;
  voided: boolean;
  refunded: number;
  row: SaleFacts;
}

function saleFacts(row: RecordSummary): SaleFacts {
  const { currency, accountId, licenseSerial, authorityKid, demo, terminalId, merchantId, amount } = row;
  return { currency, accountId, licenseSerial, authorityKid, demo, terminalId, merchantId, amount };
}

export class RefundBooks {
  private readonly sales = new Map<string, BookedSale>();

  /**
   * `earlier` names where sales of earlier days come from, for the refusal of a refund of none.
   * `refunded`: the sales the export's manifest lists as refunded. Only they are booked (with
   * their voids and refunds), so the books hold what the day's refunds need, not every sale of
   * the day; a refund row of another sale is not the manifest's and DayBooks reports that.
   */
  constructor(
    private readonly earlier = 'an earlier one given with --previous',
    private readonly refunded: ReadonlySet<string> | null = null,
  ) {}

  /** Books one row of an export, in ledger order. Returns problems for a refund row, else none. */
  add(row: RecordSummary): string[] {
    if (row.transactionId === null) return [];
    const sale = row.kind === 'sale' ? row.transactionId : (row.originalTransactionId ?? '');
    if (this.refunded && !this.refunded.has(sale)) return [];
    if (row.kind === 'sale') {
      this.sales.set(row.transactionId, { approved: row.status === 'approved', voided: false, refunded: 0, row: saleFacts(row) });
      return [];
    }
    if (row.kind === 'void') {
      const sale = this.sales.get(row.originalTransactionId ?? '');
      if (sale) sale.voided = true;
      return [];
    }
    if (row.kind === 'refund') return this.refund(row);
    return [];
  }

  /** What the refunds booked so far took from a sale (0 when none, or the sale is unknown). */
  refundedOf(saleTransactionId: string): number {
    return this.sales.get(saleTransactionId)?.refunded ?? 0;
  }

  private refund(row: RecordSummary): string[] {
    const label = rowLabel(row);
    const id = row.originalTransactionId ?? '';
    const sale = this.sales.get(id);
    if (!sale) return [`${label}: refunds ${id}, which is a sale of neither this export nor ${this.earlier}`];
    if (!sale.approved) return [`${label}: refunds ${id}, which was not approved`];
    if (sale.voided) return [`${label}: refunds ${id}, which was voided`];
    const problems: string[] = [];
    for (const field of COPIED) {
      if (row[field] !== sale.row[field])
        problems.push(`${label}: ${field} ${String(row[field])} is not the sale's ${String(sale.row[field])}`);
    }
    if (row.amount === null || !Number.isSafeInteger(row.amount) || row.amount <= 0) {
      problems.push(`${label}: refund amount ${String(row.amount)} is not a positive whole number of minor units`);
      return problems;
    }
    const remainder = (sale.row.amount ?? 0) - sale.refunded;
    if (row.amount > remainder) problems.push(`${label}: refunds ${row.amount} of ${id}, which has ${remainder} left to refund`);
    if (row.operator === null) problems.push(`${label}: refund does not say who authorised it`);
    sale.refunded += row.amount;
    return problems;
  }
}

/**
 * Books the rows of an earlier export (its manifest already checked by the caller): its JSONL
 * must hash to what its manifest signed. Returns problems with that export.
 */
export function bookEarlierExport(manifestPath: string, manifest: ReadManifest, books: RefundBooks): string[] {
  const entry = manifest.files?.jsonl;
  if (typeof entry?.name !== 'string' || entry.name !== basename(entry.name))
    return [`previous manifest ${manifestPath}: no usable JSONL entry`];
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dirname(manifestPath), entry.name));
  } catch (error) {
    return [`previous export ${entry.name}: ${(error as Error).message}`];
  }
  if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
    return [`previous export ${entry.name}: SHA-256 is not its manifest's; its sales are not used`];
  }
  const lines = bytes.toString('utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    try {
      books.add(parseJsonSummary(line));
    } catch (error) {
      const message = error instanceof RecordFormatError ? error.message : String(error);
      return [`previous export ${entry.name} line ${index + 1}: ${message}`];
    }
  }
  return [];
}

/**
 * Books rows of earlier days that the caller holds as their exact JSONL lines (the settlement
 * service's database: the sales this day's refunds name, their voids and earlier refunds), in
 * ledger order. Returns problems with them.
 */
export function bookHeldRows(lines: readonly string[], books: RefundBooks): string[] {
  const problems: string[] = [];
  for (const [index, line] of lines.entries()) {
    try {
      for (const problem of books.add(parseJsonSummary(line))) problems.push(`held row ${index + 1}: ${problem}`);
    } catch (error) {
      const message = error instanceof RecordFormatError ? error.message : String(error);
      return [`held row ${index + 1}: ${message}`];
    }
  }
  return problems;
}
