// The books of one exported day as its JSONL rows are read, in line order: counts, totals,
// the chain, voids and refunds against their sales, app counters per license identity, and the
// CSV files re-created from the records. finalise() then holds them against the manifest.
import { createHash } from 'node:crypto';
import { licenseIdentityKey, recordedLicenseIdentity } from '../verification/license-identity';
import { MANIFEST_FORMAT_1, type ManifestCounts, type ManifestFile, type ReadManifest } from './manifest';
import {
  CSV_COLUMNS,
  CSV_COLUMNS_1,
  csvRecord,
  csvRecord1,
  ITEM_COLUMNS,
  itemRecords,
  rowLabel,
  type RecordSummary,
  type RefundOfSale,
} from './records';
import type { LineCheck } from './row-check';
import { CsvWriter, HashingSink } from './csv-writer';
import { canonicalJson } from './jcs';
import { TotalsAccumulator } from './totals';
import type { RefundBooks } from './refund-books';
import type { VerifyProblem, VerifyProblemCode } from './verify-problems';

/** Problems, ordered by where they were found (workers answer out of order). */
export class Problems {
  private readonly found: { at: number; problem: VerifyProblem }[] = [];
  at = 0; // position of what is being checked: 0 manifest and files, n JSONL line n, then the totals
  get count(): number {
    return this.found.length;
  }
  add(code: VerifyProblemCode, detail: string): void {
    this.found.push({ at: this.at, problem: { code, detail } });
  }
  addAll(problems: readonly VerifyProblem[]): void {
    for (const problem of problems) this.found.push({ at: this.at, problem });
  }
  list(max: number): VerifyProblem[] {
    return this.found
      .map((p, i) => ({ ...p, i }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .slice(0, max)
      .map((p) => p.problem);
  }
}

export function fileProblem(entry: ManifestFile, actual: { bytes: number; sha256: string }): string | null {
  if (actual.sha256 !== entry.sha256) return `${entry.name}: SHA-256 ${actual.sha256} != manifest ${entry.sha256}`;
  if (actual.bytes !== entry.bytes) return `${entry.name}: ${actual.bytes} bytes != manifest ${entry.bytes}`;
  return null;
}

/** Totals as format 1 wrote them: no refund members (netTotal is approved minus voided there, as refunds are 0). */
function totalsOfFormat1(totals: ReturnType<TotalsAccumulator['result']>): { real: object[]; demo: object[] } {
  const strip = (list: typeof totals.real) => list.map(({ refundCount: _count, refundTotal: _total, ...rest }) => rest);
  return { real: strip(totals.real), demo: strip(totals.demo) };
}

export class DayBooks {
  readonly counts: ManifestCounts = { rows: 0, sales: 0, approved: 0, declined: 0, voided: 0, refunded: 0, closes: 0, demo: 0, items: 0 };
  /** Approvals whose license or authorization did not verify. */
  failedApprovals = 0;
  readonly licenses = new Set<string>();
  private readonly totals = new TotalsAccumulator();
  // Format 1 was written before refunds: its CSV, counts and totals have no refund members.
  private readonly format1: boolean;
  private readonly voidedBy: Map<string, string>;
  private readonly refundedBy = new Map<string, RefundOfSale[]>();
  private readonly manifestRefunds: readonly [string, string, number][];
  private voidIndex = 0;
  private refundIndex = 0;
  private readonly csvText = new HashingSink();
  private readonly itemsText = new HashingSink();
  private readonly csv: CsvWriter;
  private readonly items: CsvWriter;
  private readonly lineOf: typeof csvRecord;
  /** Every transaction id of the day, for ids recorded twice. */
  private readonly ids = new Set<string>();
  /** The state of the sales the manifest's voids name (voidedBy's keys): all a void is checked against. */
  private readonly voidable = new Map<string, { approved: boolean; voided: boolean }>();
  private readonly counters = new Map<string, number>();
  private previous: { seq: number; hash: string } | null = null;
  private first: RecordSummary | null = null;
  private zNumber: number | null = null;

  constructor(
    private readonly manifest: ReadManifest,
    private readonly problems: Problems,
    private readonly refundBooks: RefundBooks,
  ) {
    this.format1 = manifest.format === MANIFEST_FORMAT_1;
    // The CSV files are re-created from the JSONL records (with the manifest's void and refund
    // lists for the voided_by, refunded_by and refunded columns) and must hash to what the
    // manifest signed: the accountants' file says what the verified records say.
    this.voidedBy = new Map(manifest.voids.map(([sale, voiding]) => [sale, voiding]));
    this.manifestRefunds = manifest.format === MANIFEST_FORMAT_1 ? [] : manifest.refunds;
    for (const [sale, refund, amount] of this.manifestRefunds) {
      this.refundedBy.set(sale, [...(this.refundedBy.get(sale) ?? []), { transactionId: refund, amount }]);
    }
    this.csv = new CsvWriter(this.csvText, this.format1 ? CSV_COLUMNS_1 : CSV_COLUMNS);
    this.lineOf = this.format1 ? csvRecord1 : csvRecord;
    this.items = new CsvWriter(this.itemsText, ITEM_COLUMNS);
  }

  /** Books one JSONL line (its own hash and approval already checked in `check`). */
  book(lineNumber: number, check: LineCheck): void {
    const { problems, counts, manifest } = this;
    problems.at = lineNumber;
    if (check.approvalFailed) this.failedApprovals += 1;
    problems.addAll(check.problems);
    const row = check.summary;
    if (row === null) {
      problems.add('record', `${manifest.files.jsonl.name} line ${lineNumber}: ${check.parseError ?? 'does not parse'}`);
      this.previous = null;
      return;
    }
    counts.rows += 1;
    const previous = this.previous;
    if (!this.first) {
      this.first = row;
      if (manifest.chain.firstPrevHash !== row.prevHash)
        problems.add('chain', `${rowLabel(row)}: previous hash is not the manifest's first link`);
    } else if (previous && row.seq !== previous.seq + 1) {
      problems.add('chain', `${rowLabel(row)}: chain sequence gap: expected sequence ${previous.seq + 1}, found ${row.seq}`);
    } else if (previous && row.prevHash !== previous.hash) {
      problems.add('chain', `${rowLabel(row)}: chain link broken: previous hash ${row.prevHash} != ${previous.hash}`);
    }
    this.previous = { seq: row.seq, hash: row.hash };
    if (row.businessDate !== manifest.businessDate)
      problems.add('record', `${rowLabel(row)}: business date ${row.businessDate} is not ${manifest.businessDate}`);
    if (row.demo) counts.demo += 1;
    this.totals.add(row);
    if (row.kind === 'close') {
      counts.closes += 1;
      this.zNumber = row.zNumber;
      return;
    }
    counts.items += row.itemCount;
    this.writeCsv(row);
    const id = row.transactionId ?? '';
    if (this.ids.has(id)) problems.add('record', `${rowLabel(row)}: transaction id recorded twice`);
    this.ids.add(id);
    if (row.kind === 'sale') this.bookSale(row, id);
    else if (row.kind === 'refund') this.bookRefund(row);
    else this.bookVoid(row);
  }

  private writeCsv(row: RecordSummary): void {
    const source = {
      ...row,
      voidedBy: row.transactionId === null ? null : (this.voidedBy.get(row.transactionId) ?? null),
      refundedBy: row.kind === 'sale' && row.transactionId !== null ? (this.refundedBy.get(row.transactionId) ?? []) : [],
    };
    try {
      this.csv.add(this.lineOf(source));
      for (const record of itemRecords(source)) this.items.add(record);
    } catch (error) {
      this.problems.add('record', `${rowLabel(row)}: cannot be written as CSV: ${(error as Error).message}`);
    }
  }

  private bookSale(row: RecordSummary, id: string): void {
    this.counts.sales += 1;
    if (row.status === 'declined') this.counts.declined += 1;
    if (row.status === 'approved') {
      this.counts.approved += 1;
      if (row.license !== null) this.licenses.add(row.license);
      const identity = recordedLicenseIdentity(row);
      if (identity !== undefined && row.appCounter !== null) {
        const key = licenseIdentityKey(identity);
        const last = this.counters.get(key);
        if (last !== undefined && row.appCounter <= last) {
          this.problems.add(
            'record',
            `${rowLabel(row)}: app counter ${row.appCounter} does not grow past ${last} for license ${identity.serial} of ${identity.authorityId}`,
          );
        }
        this.counters.set(key, Math.max(row.appCounter, last ?? 0));
      }
    }
    if (this.voidedBy.has(id)) this.voidable.set(id, { approved: row.status === 'approved', voided: false });
    this.refundBooks.add(row);
  }

  private bookRefund(row: RecordSummary): void {
    this.counts.refunded += 1;
    if (this.format1)
      this.problems.add('record', `${rowLabel(row)}: a refund row in a ${MANIFEST_FORMAT_1} export (that format has no refunds)`);
    else {
      const listed = this.manifestRefunds[this.refundIndex++];
      if (listed?.[0] !== row.originalTransactionId || listed[1] !== row.transactionId || listed[2] !== row.amount) {
        this.problems.add('record', `${rowLabel(row)}: refund is not the manifest's refund number ${this.refundIndex}`);
      }
    }
    for (const problem of this.refundBooks.add(row)) this.problems.add('refund', problem);
  }

  private bookVoid(row: RecordSummary): void {
    this.counts.voided += 1;
    const listed = this.manifest.voids[this.voidIndex++];
    const originalId = row.originalTransactionId ?? '';
    if (listed?.[0] !== originalId || listed[1] !== row.transactionId) {
      this.problems.add('record', `${rowLabel(row)}: void is not the manifest's void number ${this.voidIndex}`);
    }
    // A void of a sale the manifest's voids do not name is the manifest mismatch just reported.
    if (this.voidedBy.has(originalId)) {
      const original = this.voidable.get(originalId);
      if (!original?.approved)
        this.problems.add('record', `${rowLabel(row)}: voids ${originalId}, which is not an approved sale of this day`);
      else if (original.voided) this.problems.add('record', `${rowLabel(row)}: ${originalId} voided twice`);
      else original.voided = true;
    }
    if (this.refundBooks.refundedOf(originalId) > 0) {
      this.problems.add('record', `${rowLabel(row)}: voids ${originalId}, which has refunds`);
    }
    this.refundBooks.add(row);
  }

  /** Once every line is booked: the files, counts, totals and chain against what the manifest signed. */
  finalise(jsonl: { bytes: number; sha256: string }): void {
    const { problems, counts, manifest } = this;
    problems.at = Number.MAX_SAFE_INTEGER;
    if (manifest.voids.length !== counts.voided)
      problems.add('totals', `manifest lists ${manifest.voids.length} voids, the records hold ${counts.voided}`);
    if (!this.format1 && this.manifestRefunds.length !== counts.refunded) {
      problems.add('totals', `manifest lists ${this.manifestRefunds.length} refunds, the records hold ${counts.refunded}`);
    }
    const { files } = manifest;
    if (this.csvText.digest() !== files.csv.sha256)
      problems.add('file_changed', `${files.csv.name}: does not say what the JSONL records say (re-created CSV differs)`);
    if (this.itemsText.digest() !== files.items.sha256)
      problems.add('file_changed', `${files.items.name}: does not say what the JSONL records say (re-created CSV differs)`);
    const jsonlProblem = fileProblem(files.jsonl, jsonl);
    if (jsonlProblem) problems.add('file_changed', jsonlProblem);

    const expected: Partial<ManifestCounts> = manifest.counts;
    for (const name of Object.keys(counts) as (keyof ManifestCounts)[]) {
      if (this.format1 && name === 'refunded') continue;
      if (expected[name] !== counts[name])
        problems.add('totals', `manifest counts.${name} = ${String(expected[name])}, files hold ${counts[name]}`);
    }
    const computed = this.format1 ? totalsOfFormat1(this.totals.result()) : this.totals.result();
    if (canonicalJson(computed.real) !== canonicalJson(manifest.totals)) problems.add('totals', 'manifest totals differ from the rows');
    if (canonicalJson(computed.demo) !== canonicalJson(manifest.demoTotals))
      problems.add('totals', 'manifest demo totals differ from the rows');
    if (manifest.zNumber !== this.zNumber)
      problems.add('totals', `manifest Z number ${String(manifest.zNumber)} != close row ${String(this.zNumber)}`);
    const { chain } = manifest;
    const firstRow = this.first;
    const lastRow = this.previous;
    if (chain.firstSeq !== (firstRow?.seq ?? null))
      problems.add('totals', `manifest first sequence ${String(chain.firstSeq)} != ${String(firstRow?.seq ?? null)}`);
    if (chain.lastSeq !== (lastRow?.seq ?? null))
      problems.add('totals', `manifest last sequence ${String(chain.lastSeq)} != ${String(lastRow?.seq ?? null)}`);
    if (chain.lastHash !== (lastRow?.hash ?? null)) problems.add('totals', "manifest last hash is not the last row's hash");
    const head = manifest.ledgerHead;
    if (head && lastRow && (head.seq < lastRow.seq || (head.seq === lastRow.seq && head.hash !== lastRow.hash))) {
      problems.add('chain', `manifest ledger head ${head.seq} ${head.hash} is not at or after the day's last row ${lastRow.seq}`);
    }
  }
}

/** SHA-256 and size of a stream of chunks, as they pass. */
export class StreamDigest {
  private readonly hash = createHash('sha256');
  bytes = 0;
  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }
  result(): { bytes: number; sha256: string } {
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}
