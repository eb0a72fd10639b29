// Verifies an exported business day from its files alone: the manifest signature, the hash of
// every file, the hash chain of every row, the counts and totals, and every approval's license
// and authorization signatures against a trust store. One coded problem each (verify-problems.ts),
// with the English line the CLI prints.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createTrustStore, type TrustedAuthority, type TrustStore } from '../verification/trust-store';
import { licenseIdentityKey, recordedLicenseIdentity } from '../verification/license-identity';
import { checkManifestSignature, isManifestFormat, MANIFEST_FORMAT_1, MANIFEST_FORMATS, manifestFileText, type ManifestCounts, type ManifestFile, type ReadManifest } from './manifest';
import { CSV_COLUMNS, CSV_COLUMNS_1, csvRecord, csvRecord1, ITEM_COLUMNS, itemRecords, rowLabel, type RecordSummary, type RefundOfSale } from './records';
import { checkRowLine, type LineCheck } from './row-check';
import { CsvWriter, HashingSink } from './csv-writer';
import { createNodeVerifier } from '../protocol/node-signature';
import { RecordedApprovalVerifier } from '../verification/recorded-approval';
import { fingerprintOf } from './terminal-key';
import { canonicalJson } from './jcs';
import { TotalsAccumulator } from './totals';
import { VerifyPool } from './verify-pool';
import { bookEarlierExport, RefundBooks } from './refund-books';
import { hashedLines } from './hashed-lines';
import type { StartWorker } from './worker-thread';
import type { VerifyProblem, VerifyProblemCode } from './verify-problems';

export interface VerifyExportOptions {
  /** Authority keys licenses must chain to. Without it, approvals cannot verify (reported). */
  trustStore?: TrustStore;
  /** Terminal key id (hex SHA-256 of its SPKI) settlement expects; reported when it differs. */
  expectTerminalKeyId?: string;
  clockSkewMs?: number;
  /** Problem lines kept (the count is always exact). Default 1000. */
  maxProblemLines?: number;
  /**
   * Worker threads for the signature checks (needs `authorities`, the trust store's keys as a
   * list). 0 (default) checks on this thread.
   */
  workers?: number;
  authorities?: TrustedAuthority[];
  /** Where worker threads come from (tests give one that cannot load). */
  startWorker?: StartWorker;
  /**
   * Earlier business days' manifests of this terminal. The latest is the previous day: its last row
   * must be the one this day's first links to. All of them hold sales this day's refunds may name.
   */
  previousManifestPath?: string | readonly string[];
}

export interface VerifyExportResult {
  ok: boolean;
  /** One English line per problem (what the CLI prints). */
  problems: string[];
  /** The same problems, in the same order and cut at the same place, each with its stable code. */
  issues: VerifyProblem[];
  /** Number of problems found (problems[] and issues[] may be cut at maxProblemLines). */
  problemCount: number;
  summary: string;
  /** Sales and voids checked. */
  transactions: number;
  rows: number;
  approvalsVerified: number;
  licenses: number;
  terminalKeyId: string | null;
  terminalKeyFingerprint: string | null;
  terminalKeyPinned: boolean;
}

/** Problems, ordered by where they were found (workers answer out of order). */
class Problems {
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

/** A file the manifest names could not be read (an fs error carries its syscall), or the check broke off. */
function readFailure(error: unknown): VerifyProblemCode {
  return typeof (error as { syscall?: unknown } | null)?.syscall === 'string' ? 'file_missing' : 'incomplete';
}

async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

function fileProblem(entry: ManifestFile, actual: { bytes: number; sha256: string }): string | null {
  if (actual.sha256 !== entry.sha256) return `${entry.name}: SHA-256 ${actual.sha256} != manifest ${entry.sha256}`;
  if (actual.bytes !== entry.bytes) return `${entry.name}: ${actual.bytes} bytes != manifest ${entry.bytes}`;
  return null;
}

function safeName(entry: unknown): entry is ManifestFile {
  const file = entry as Partial<ManifestFile> | null;
  return (
    typeof file?.name === 'string' &&
    file.name === basename(file.name) &&
    file.name !== '..' &&
    typeof file.sha256 === 'string' &&
    typeof file.bytes === 'number'
  );
}


interface EarlierExport {
  path: string;
  manifest: ReadManifest | null; // null when it cannot be read or its signature does not verify
  /** The manifest file's text (this day's manifest names its SHA-256). */
  text: string;
  problems: string[];
}

/** An earlier export's manifest: readable, signed by this terminal's key, of this ledger and an earlier day. */
function readEarlierManifest(manifest: ReadManifest, keyId: string | null, path: string): EarlierExport {
  let previous: ReadManifest;
  let previousText: string;
  try {
    previousText = readFileSync(path, 'utf8');
    previous = JSON.parse(previousText) as ReadManifest;
  } catch (error) {
    return { path, manifest: null, text: '', problems: [`previous manifest ${path}: ${(error as Error).message}`] };
  }
  if (typeof previous !== 'object' || previous === null || !isManifestFormat(previous.format)) {
    return { path, manifest: null, text: previousText, problems: [`previous manifest: format is not ${MANIFEST_FORMATS.join(' or ')}`] };
  }
  const signature = checkManifestSignature(previous);
  if (!signature.ok) return { path, manifest: null, text: previousText, problems: [`previous manifest: ${signature.problem}`] };
  const problems: string[] = [];
  if (keyId !== null && signature.keyId !== keyId) problems.push('previous manifest is signed by another terminal key');
  if (previous.ledgerId !== manifest.ledgerId) problems.push(`previous manifest is of ledger ${previous.ledgerId}, this one of ${manifest.ledgerId}`);
  if (!(previous.businessDate < manifest.businessDate)) problems.push(`previous manifest's day ${previous.businessDate} is not before ${manifest.businessDate}`);
  return { path, manifest: previous, text: previousText, problems };
}

/** The chain across days: this day's first row links to the previous export's last row. */
function checkPreviousDay(manifest: ReadManifest, previous: ReadManifest, previousText: string): string[] {
  const problems: string[] = [];
  const before = previous.chain ?? {};
  const now = manifest.chain ?? {};
  if (before.lastHash !== null && now.firstPrevHash !== null) {
    if (before.lastHash !== now.firstPrevHash || (before.lastSeq ?? -1) + 1 !== now.firstSeq) {
      problems.push(
        `first row ${String(now.firstSeq)} does not follow the previous export's last row ${String(before.lastSeq)} of ${previous.businessDate}: rows in between are missing or another day lies between them`,
      );
    }
  }
  // The manifest names the day before it and that day's manifest (when the terminal had exported it).
  const named = manifest.previousDay;
  if (named && named.businessDate !== previous.businessDate) {
    problems.push(`this manifest names ${named.businessDate} as the previous business day, the manifest given is of ${previous.businessDate}: a day in between is missing`);
  } else if (named?.manifestSha256) {
    const sha = createHash('sha256').update(previousText, 'utf8').digest('hex');
    if (sha !== named.manifestSha256) {
      problems.push(`previous manifest's SHA-256 ${sha} is not the ${named.manifestSha256} this manifest names: another export of ${previous.businessDate} than the one this terminal made last`);
    }
  }
  return problems;
}

/** The manifest's refund list as [sale, refund, amount] triples; anything else in it is left out (and counted short). */
function listedRefunds(list: unknown): [string, string, number][] {
  if (!Array.isArray(list)) return [];
  return list.filter(
    (entry): entry is [string, string, number] =>
      Array.isArray(entry) && entry.length === 3 && typeof entry[0] === 'string' && typeof entry[1] === 'string' && Number.isSafeInteger(entry[2]),
  );
}

/** Totals as format 1 wrote them: no refund members (netTotal is approved minus voided there, as refunds are 0). */
function totalsOfFormat1(totals: ReturnType<TotalsAccumulator['result']>): { real: object[]; demo: object[] } {
  const strip = (list: typeof totals.real) => list.map(({ refundCount: _count, refundTotal: _total, ...rest }) => rest);
  return { real: strip(totals.real), demo: strip(totals.demo) };
}

export async function verifyExport(manifestPath: string, options: VerifyExportOptions = {}): Promise<VerifyExportResult> {
  const problems = new Problems();
  const maxLines = options.maxProblemLines ?? 1000;
  const result = (extra: Partial<VerifyExportResult> = {}): VerifyExportResult => {
    const base = {
      transactions: 0,
      rows: 0,
      approvalsVerified: 0,
      licenses: 0,
      terminalKeyId: null,
      terminalKeyFingerprint: null,
      terminalKeyPinned: false,
      ...extra,
    };
    const ok = problems.count === 0;
    const key = base.terminalKeyFingerprint
      ? `terminal key ${base.terminalKeyFingerprint}${base.terminalKeyPinned ? ' (pinned)' : ' (not pinned: pass the expected key id to check who signed)'}`
      : 'no terminal key';
    const summary =
      `${ok ? 'OK' : 'FAILED'}: ${base.rows} rows, ${base.transactions} transactions, ` +
      `${base.approvalsVerified} approvals verified against ${base.licenses} licenses, ` +
      `${problems.count} problem${problems.count === 1 ? '' : 's'}; ${key}`;
    const issues = problems.list(maxLines);
    return { ok, problems: issues.map((p) => p.detail), issues, problemCount: problems.count, summary, ...base };
  };

  let manifest: ReadManifest;
  let manifestText: string;
  try {
    manifestText = readFileSync(manifestPath, 'utf8');
    manifest = JSON.parse(manifestText) as ReadManifest;
  } catch (error) {
    problems.add('manifest', `manifest ${manifestPath}: ${(error as Error).message}`);
    return result();
  }
  if (typeof manifest !== 'object' || manifest === null || !isManifestFormat(manifest.format)) {
    problems.add('manifest', `manifest: format is not ${MANIFEST_FORMATS.join(' or ')}`);
    return result();
  }
  // Format 1 was written before refunds: its CSV, counts and totals have no refund members.
  const format1 = manifest.format === MANIFEST_FORMAT_1;
  // The signature covers the content; the exact layout is fixed too, so that every byte counts.
  if (manifestText !== manifestFileText(manifest)) problems.add('file_changed', 'manifest: the file is not laid out as written (bytes changed outside the signed content)');
  const signature = checkManifestSignature(manifest);
  const keyId = signature.ok ? signature.keyId : null;
  if (!signature.ok) problems.add('manifest', signature.problem);
  const pinned = options.expectTerminalKeyId !== undefined;
  if (pinned && keyId !== null && keyId !== options.expectTerminalKeyId?.toLowerCase()) {
    problems.add('terminal_key', `manifest signed by terminal key ${keyId}, expected ${options.expectTerminalKeyId}`);
  }
  const keyInfo = { terminalKeyId: keyId, terminalKeyFingerprint: keyId ? fingerprintOf(keyId) : null, terminalKeyPinned: pinned };

  // Earlier exports, oldest first: the latest is the day this one follows; all hold sales.
  const refundBooks = new RefundBooks();
  const previousPaths = options.previousManifestPath === undefined ? [] : [options.previousManifestPath].flat();
  const earlier = previousPaths
    .map((path) => readEarlierManifest(manifest, keyId, path))
    .sort((a, b) => (a.manifest?.businessDate ?? '').localeCompare(b.manifest?.businessDate ?? ''));
  for (const [index, e] of earlier.entries()) {
    for (const problem of e.problems) problems.add('previous_day', problem);
    if (!e.manifest) continue;
    if (index === earlier.length - 1) for (const problem of checkPreviousDay(manifest, e.manifest, e.text)) problems.add('previous_day', problem);
    for (const problem of bookEarlierExport(e.path, e.manifest, refundBooks)) problems.add('previous_day', problem);
  }

  const folder = dirname(manifestPath);
  const files = manifest.files ?? {};
  for (const which of ['csv', 'items', 'jsonl'] as const) {
    if (!safeName(files[which])) {
      problems.add('manifest', `manifest: file entry "${which}" is missing or names a path`);
      return result(keyInfo);
    }
  }
  for (const which of ['csv', 'items'] as const) {
    const entry = files[which];
    try {
      const problem = fileProblem(entry, await hashFile(join(folder, entry.name)));
      if (problem) problems.add('file_changed', problem);
    } catch (error) {
      problems.add(readFailure(error), `${entry.name}: ${(error as Error).message}`);
    }
  }

  const trustStore = options.trustStore ?? (options.authorities ? createTrustStore(options.authorities) : undefined);
  if (!trustStore) problems.add('no_trust_store', 'no trust store given: license and authorization signatures not checked');
  let failedApprovals = 0;
  // Each JSONL line is parsed once, here or in a worker; its check and summary reach `book`
  // in line order either way, so the output is the same with or without workers.
  const onCheck = (line: number, check: LineCheck): void => book(line, check);
  // Workers need the keys as a list (a TrustStore object cannot cross threads).
  const useWorkers = (options.workers ?? 0) > 0 && (options.authorities !== undefined || !trustStore);
  const pool = useWorkers ? VerifyPool.forAuthorities(options.workers ?? 0, options.authorities ?? null, options.clockSkewMs, onCheck, options.startWorker) : null;
  const verifier = trustStore && !pool ? new RecordedApprovalVerifier({ trustStore, verifier: createNodeVerifier(), clockSkewMs: options.clockSkewMs }) : null;

  const counts: ManifestCounts = { rows: 0, sales: 0, approved: 0, declined: 0, voided: 0, refunded: 0, closes: 0, demo: 0, items: 0 };
  const totals = new TotalsAccumulator();
  // The CSV files are re-created from the JSONL records (with the manifest's void and refund
  // lists for the voided_by, refunded_by and refunded columns) and must hash to what the manifest
  // signed: the accountants' file says what the verified records say.
  const manifestVoids = (Array.isArray(manifest.voids) ? manifest.voids : []).filter((pair) => Array.isArray(pair) && pair.length === 2);
  const voidedBy = new Map(manifestVoids.map((pair) => [String(pair[0]), String(pair[1])]));
  const manifestRefunds = format1 ? [] : listedRefunds(manifest.refunds);
  const refundedBy = new Map<string, RefundOfSale[]>();
  for (const [sale, refund, amount] of manifestRefunds) refundedBy.set(sale, [...(refundedBy.get(sale) ?? []), { transactionId: refund, amount }]);
  let refundIndex = 0;
  const csvText = new HashingSink();
  const itemsText = new HashingSink();
  const csv = new CsvWriter(csvText, format1 ? CSV_COLUMNS_1 : CSV_COLUMNS);
  const lineOf = format1 ? csvRecord1 : csvRecord;
  const items = new CsvWriter(itemsText, ITEM_COLUMNS);
  let voidIndex = 0;
  const seen = new Map<string, { approved: boolean; voided: boolean }>();
  const counters = new Map<string, number>();
  const licenses = new Set<string>();
  let previous: { seq: number; hash: string } | null = null;
  let first: RecordSummary | null = null;
  let zNumber: number | null = null;
  const jsonlEntry = files.jsonl;
  const jsonlHash = createHash('sha256');
  let jsonlBytes = 0;
  const figures = (): Partial<VerifyExportResult> => ({
    ...keyInfo,
    rows: counts.rows,
    transactions: counts.sales + counts.voided + counts.refunded,
    approvalsVerified: trustStore ? counts.approved - failedApprovals : 0,
    licenses: licenses.size,
  });
  function book(lineNumber: number, check: LineCheck): void {
    problems.at = lineNumber;
    // The row's own hash and approval (checkRow); links, order and the books below.
    if (check.approvalFailed) failedApprovals += 1;
    problems.addAll(check.problems);
    const row = check.summary;
    if (row === null) {
      problems.add('record', `${jsonlEntry.name} line ${lineNumber}: ${check.parseError ?? 'does not parse'}`);
      previous = null;
      return;
    }
    counts.rows += 1;
    if (!first) {
      first = row;
      if (manifest.chain?.firstPrevHash !== row.prevHash) problems.add('chain', `${rowLabel(row)}: previous hash is not the manifest's first link`);
    } else if (previous && row.seq !== previous.seq + 1) {
      problems.add('chain', `${rowLabel(row)}: chain sequence gap: expected sequence ${previous.seq + 1}, found ${row.seq}`);
    } else if (previous && row.prevHash !== previous.hash) {
      problems.add('chain', `${rowLabel(row)}: chain link broken: previous hash ${row.prevHash} != ${previous.hash}`);
    }
    previous = { seq: row.seq, hash: row.hash };
    if (row.businessDate !== manifest.businessDate) problems.add('record', `${rowLabel(row)}: business date ${row.businessDate} is not ${manifest.businessDate}`);
    if (row.demo) counts.demo += 1;
    totals.add(row);
    if (row.kind === 'close') {
      counts.closes += 1;
      zNumber = row.zNumber;
      return;
    }
    counts.items += row.itemCount;
    const source = {
      ...row,
      voidedBy: row.transactionId === null ? null : (voidedBy.get(row.transactionId) ?? null),
      refundedBy: row.kind === 'sale' && row.transactionId !== null ? (refundedBy.get(row.transactionId) ?? []) : [],
    };
    try {
      csv.add(lineOf(source));
      for (const record of itemRecords(source)) items.add(record);
    } catch (error) {
      problems.add('record', `${rowLabel(row)}: cannot be written as CSV: ${(error as Error).message}`);
    }
    const id = row.transactionId ?? '';
    if (seen.has(id)) problems.add('record', `${rowLabel(row)}: transaction id recorded twice`);
    if (row.kind === 'sale') {
      counts.sales += 1;
      if (row.status === 'declined') counts.declined += 1;
      if (row.status === 'approved') {
        counts.approved += 1;
        if (row.license !== null) licenses.add(row.license);
        const identity = recordedLicenseIdentity(row);
        if (identity !== undefined && row.appCounter !== null) {
          const key = licenseIdentityKey(identity);
          const last = counters.get(key);
          if (last !== undefined && row.appCounter <= last) {
            problems.add(
              'record',
              `${rowLabel(row)}: app counter ${row.appCounter} does not grow past ${last} for license ${identity.serial} of ${identity.authorityId}`,
            );
          }
          counters.set(key, Math.max(row.appCounter, last ?? 0));
        }
      }
      seen.set(id, { approved: row.status === 'approved', voided: false });
      refundBooks.add(row);
    } else if (row.kind === 'refund') {
      counts.refunded += 1;
      if (format1) problems.add('record', `${rowLabel(row)}: a refund row in a ${MANIFEST_FORMAT_1} export (that format has no refunds)`);
      else {
        const listed = manifestRefunds[refundIndex++];
        if (listed?.[0] !== row.originalTransactionId || listed[1] !== row.transactionId || listed[2] !== row.amount) {
          problems.add('record', `${rowLabel(row)}: refund is not the manifest's refund number ${refundIndex}`);
        }
      }
      for (const problem of refundBooks.add(row)) problems.add('refund', problem);
      seen.set(id, { approved: false, voided: false });
    } else {
      counts.voided += 1;
      const listed = manifestVoids[voidIndex++];
      if (listed?.[0] !== row.originalTransactionId || listed[1] !== row.transactionId) {
        problems.add('record', `${rowLabel(row)}: void is not the manifest's void number ${voidIndex}`);
      }
      const original = seen.get(row.originalTransactionId ?? '');
      if (!original?.approved) problems.add('record', `${rowLabel(row)}: voids ${row.originalTransactionId}, which is not an approved sale of this day`);
      else if (original.voided) problems.add('record', `${rowLabel(row)}: ${row.originalTransactionId} voided twice`);
      else original.voided = true;
      if (refundBooks.refundedOf(row.originalTransactionId ?? '') > 0) {
        problems.add('record', `${rowLabel(row)}: voids ${row.originalTransactionId}, which has refunds`);
      }
      refundBooks.add(row);
      seen.set(id, { approved: false, voided: false });
    }
  }

  try {
    const onChunk = (chunk: Buffer): void => {
      jsonlHash.update(chunk);
      jsonlBytes += chunk.length;
    };
    let lineNumber = 0;
    for await (const batch of hashedLines(join(folder, jsonlEntry.name), onChunk)) {
      for (const line of batch) {
        lineNumber += 1;
        if (pool) await pool.add(line, lineNumber);
        else book(lineNumber, checkRowLine(line, verifier));
      }
    }
    await pool?.finish();
  } catch (error) {
    // The rest of the records was not read: the file's hash, the CSVs and the books cannot be
    // judged, and saying they differ would blame the files for it.
    problems.add(readFailure(error), `${jsonlEntry.name}: ${(error as Error).message}`);
    return result(figures());
  } finally {
    pool?.close();
  }
  problems.at = Number.MAX_SAFE_INTEGER;
  if (manifestVoids.length !== counts.voided) problems.add('totals', `manifest lists ${manifestVoids.length} voids, the records hold ${counts.voided}`);
  if (!format1 && manifestRefunds.length !== counts.refunded) {
    problems.add('totals', `manifest lists ${manifestRefunds.length} refunds, the records hold ${counts.refunded}`);
  }
  if (csvText.digest() !== files.csv.sha256) problems.add('file_changed', `${files.csv.name}: does not say what the JSONL records say (re-created CSV differs)`);
  if (itemsText.digest() !== files.items.sha256) problems.add('file_changed', `${files.items.name}: does not say what the JSONL records say (re-created CSV differs)`);
  const jsonlProblem = fileProblem(jsonlEntry, { bytes: jsonlBytes, sha256: jsonlHash.digest('hex') });
  if (jsonlProblem) problems.add('file_changed', jsonlProblem);

  const expectedCounts = manifest.counts as Partial<ManifestCounts> | undefined;
  for (const [name, value] of Object.entries(counts)) {
    if (format1 && name === 'refunded') continue;
    if (expectedCounts?.[name as keyof ManifestCounts] !== value) {
      problems.add('totals', `manifest counts.${name} = ${String(expectedCounts?.[name as keyof ManifestCounts])}, files hold ${value}`);
    }
  }
  const computed = format1 ? totalsOfFormat1(totals.result()) : totals.result();
  if (canonicalJson(computed.real) !== canonicalJson(manifest.totals ?? null)) problems.add('totals', 'manifest totals differ from the rows');
  if (canonicalJson(computed.demo) !== canonicalJson(manifest.demoTotals ?? null)) problems.add('totals', 'manifest demo totals differ from the rows');
  if ((manifest.zNumber ?? null) !== zNumber) problems.add('totals', `manifest Z number ${String(manifest.zNumber)} != close row ${String(zNumber)}`);
  const chain = manifest.chain ?? {};
  // Set by book() (TypeScript does not follow assignments made in a function).
  const firstRow = first as RecordSummary | null;
  const lastRow = previous as { seq: number; hash: string } | null;
  if ((chain.firstSeq ?? null) !== (firstRow?.seq ?? null)) problems.add('totals', `manifest first sequence ${String(chain.firstSeq)} != ${String(firstRow?.seq ?? null)}`);
  if ((chain.lastSeq ?? null) !== (lastRow?.seq ?? null)) problems.add('totals', `manifest last sequence ${String(chain.lastSeq)} != ${String(lastRow?.seq ?? null)}`);
  if ((chain.lastHash ?? null) !== (lastRow?.hash ?? null)) problems.add('totals', 'manifest last hash is not the last row\'s hash');
  const head = manifest.ledgerHead;
  if (head && lastRow && (head.seq < lastRow.seq || (head.seq === lastRow.seq && head.hash !== lastRow.hash))) {
    problems.add('chain', `manifest ledger head ${head.seq} ${head.hash} is not at or after the day's last row ${lastRow.seq}`);
  }
  return result(figures());
}
