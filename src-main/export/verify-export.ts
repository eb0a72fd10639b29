// Verifies an exported business day from its files alone: the manifest signature, the hash of
// every file, the hash chain of every row, the counts and totals, and every approval's license
// and authorization signatures against a trust store. One coded problem each (verify-problems.ts),
// with the English line the CLI prints.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTrustStore, type TrustedAuthority, type TrustStore } from '../verification/trust-store';
import { checkManifestSignature, MANIFEST_FORMAT_1, manifestFileText, type ReadManifest } from './manifest';
import { parseManifestText } from './manifest-schema';
import { checkRowLine, type LineCheck } from './row-check';
import { DayBooks, fileProblem, Problems, StreamDigest } from './verify-books';
import { createNodeVerifier } from '../protocol/node-signature';
import { RecordedApprovalVerifier } from '../verification/recorded-approval';
import { fingerprintOf } from './terminal-key';
import { VerifyPool } from './verify-pool';
import { bookEarlierExport, bookHeldRows, RefundBooks } from './refund-books';
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
  /**
   * Rows of earlier business days of this ledger that the caller holds (a settlement service),
   * as their exact JSONL lines in ledger order: the sales this day's refunds name, with their
   * voids and refunds. Booked before this day's rows, as the rows of --previous exports are,
   * so that the same refund rules judge a refund of an earlier day's sale.
   */
  heldRows?: readonly string[];
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

interface EarlierExport {
  path: string;
  manifest: ReadManifest | null; // null when it cannot be read or its signature does not verify
  /** The manifest file's text (this day's manifest names its SHA-256). */
  text: string;
  problems: string[];
}

/** An earlier export's manifest: readable, signed by this terminal's key, of this ledger and an earlier day. */
function readEarlierManifest(manifest: ReadManifest, keyId: string | null, path: string): EarlierExport {
  let previousText: string;
  try {
    previousText = readFileSync(path, 'utf8');
  } catch (error) {
    return { path, manifest: null, text: '', problems: [`previous manifest ${path}: ${(error as Error).message}`] };
  }
  const parsed = parseManifestText(previousText);
  if (!parsed.ok) return { path, manifest: null, text: previousText, problems: [`previous ${parsed.problem}`] };
  const previous = parsed.manifest;
  const signature = checkManifestSignature(previous);
  if (!signature.ok) return { path, manifest: null, text: previousText, problems: [`previous manifest: ${signature.problem}`] };
  const problems: string[] = [];
  if (keyId !== null && signature.keyId !== keyId) problems.push('previous manifest is signed by another terminal key');
  if (previous.ledgerId !== manifest.ledgerId)
    problems.push(`previous manifest is of ledger ${previous.ledgerId}, this one of ${manifest.ledgerId}`);
  if (!(previous.businessDate < manifest.businessDate))
    problems.push(`previous manifest's day ${previous.businessDate} is not before ${manifest.businessDate}`);
  return { path, manifest: previous, text: previousText, problems };
}

/** The chain across days: this day's first row links to the previous export's last row. */
function checkPreviousDay(manifest: ReadManifest, previous: ReadManifest, previousText: string): string[] {
  const problems: string[] = [];
  const before = previous.chain;
  const now = manifest.chain;
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
    problems.push(
      `this manifest names ${named.businessDate} as the previous business day, the manifest given is of ${previous.businessDate}: a day in between is missing`,
    );
  } else if (named?.manifestSha256) {
    const sha = createHash('sha256').update(previousText, 'utf8').digest('hex');
    if (sha !== named.manifestSha256) {
      problems.push(
        `previous manifest's SHA-256 ${sha} is not the ${named.manifestSha256} this manifest names: another export of ${previous.businessDate} than the one this terminal made last`,
      );
    }
  }
  return problems;
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

  let manifestText: string;
  try {
    manifestText = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    problems.add('manifest', `manifest ${manifestPath}: ${(error as Error).message}`);
    return result();
  }
  const parsed = parseManifestText(manifestText);
  if (!parsed.ok) {
    problems.add('manifest', parsed.problem);
    return result();
  }
  const manifest = parsed.manifest;
  // The signature covers the content; the exact layout is fixed too, so that every byte counts.
  if (manifestText !== manifestFileText(parsed.raw))
    problems.add('file_changed', 'manifest: the file is not laid out as written (bytes changed outside the signed content)');
  const signature = checkManifestSignature(manifest);
  const keyId = signature.ok ? signature.keyId : null;
  if (!signature.ok) problems.add('manifest', signature.problem);
  const pinned = options.expectTerminalKeyId !== undefined;
  if (pinned && keyId !== null && keyId !== options.expectTerminalKeyId?.toLowerCase()) {
    problems.add('terminal_key', `manifest signed by terminal key ${keyId}, expected ${options.expectTerminalKeyId}`);
  }
  const keyInfo = { terminalKeyId: keyId, terminalKeyFingerprint: keyId ? fingerprintOf(keyId) : null, terminalKeyPinned: pinned };

  // Earlier exports, oldest first: the latest is the day this one follows; all hold sales.
  const refundedSales = new Set(manifest.format === MANIFEST_FORMAT_1 ? [] : manifest.refunds.map(([sale]) => sale));
  const refundBooks = new RefundBooks(options.heldRows ? 'an earlier day held' : undefined, refundedSales);
  const previousPaths = options.previousManifestPath === undefined ? [] : [options.previousManifestPath].flat();
  const earlier = previousPaths
    .map((path) => readEarlierManifest(manifest, keyId, path))
    .sort((a, b) => (a.manifest?.businessDate ?? '').localeCompare(b.manifest?.businessDate ?? ''));
  for (const [index, e] of earlier.entries()) {
    for (const problem of e.problems) problems.add('previous_day', problem);
    if (!e.manifest) continue;
    if (index === earlier.length - 1)
      for (const problem of checkPreviousDay(manifest, e.manifest, e.text)) problems.add('previous_day', problem);
    for (const problem of bookEarlierExport(e.path, e.manifest, refundBooks)) problems.add('previous_day', problem);
  }
  for (const problem of bookHeldRows(options.heldRows ?? [], refundBooks)) problems.add('previous_day', problem);

  const folder = dirname(manifestPath);
  const { files } = manifest;
  for (const entry of [files.csv, files.items]) {
    try {
      const problem = fileProblem(entry, await hashFile(join(folder, entry.name)));
      if (problem) problems.add('file_changed', problem);
    } catch (error) {
      problems.add(readFailure(error), `${entry.name}: ${(error as Error).message}`);
    }
  }

  const trustStore = options.trustStore ?? (options.authorities ? createTrustStore(options.authorities) : undefined);
  if (!trustStore) problems.add('no_trust_store', 'no trust store given: license and authorization signatures not checked');
  const books = new DayBooks(manifest, problems, refundBooks);
  // Each JSONL line is parsed once, here or in a worker; its check and summary reach the books
  // in line order either way, so the output is the same with or without workers.
  const onCheck = (line: number, check: LineCheck): void => books.book(line, check);
  // Workers need the keys as a list (a TrustStore object cannot cross threads).
  const useWorkers = (options.workers ?? 0) > 0 && (options.authorities !== undefined || !trustStore);
  const pool = useWorkers
    ? VerifyPool.forAuthorities(options.workers ?? 0, options.authorities ?? null, options.clockSkewMs, onCheck, options.startWorker)
    : null;
  const verifier =
    trustStore && !pool
      ? new RecordedApprovalVerifier({ trustStore, verifier: createNodeVerifier(), clockSkewMs: options.clockSkewMs })
      : null;
  const figures = (): Partial<VerifyExportResult> => ({
    ...keyInfo,
    rows: books.counts.rows,
    transactions: books.counts.sales + books.counts.voided + books.counts.refunded,
    approvalsVerified: trustStore ? books.counts.approved - books.failedApprovals : 0,
    licenses: books.licenses.size,
  });

  const jsonl = new StreamDigest();
  try {
    let lineNumber = 0;
    for await (const batch of hashedLines(join(folder, files.jsonl.name), (chunk) => jsonl.update(chunk))) {
      for (const line of batch) {
        lineNumber += 1;
        if (pool) await pool.add(line, lineNumber);
        else books.book(lineNumber, checkRowLine(line, verifier));
      }
    }
    await pool?.finish();
  } catch (error) {
    // The rest of the records was not read: the file's hash, the CSVs and the books cannot be
    // judged, and saying they differ would blame the files for it.
    problems.add(readFailure(error), `${files.jsonl.name}: ${(error as Error).message}`);
    return result(figures());
  } finally {
    pool?.close();
  }
  books.finalise(jsonl.result());
  return result(figures());
}
