// ingestDay: one terminal's business day from its export folder into the settlement database,
// whole or not at all. The HTTP upload (settle-edge) writes the posted files into a folder and
// calls this same function.
//
//   read the manifest -> already held? (answer, write nothing) -> enrolled key, its merchant ->
//   one transaction: the ledger's lock, the held rows of the sales it refunds ->
//   verify-export of the folder (with those rows) || COPY of its rows (in parallel) ->
//   detection under a lock (so concurrent uploads see each other) -> commit.
import type { Database } from '../db/port';
import { SettlementError, toSettlementError } from '../errors';
import { detectDay } from '../detect/detect-day';
import type { RecordedFinding } from '../detect/finding';
import { AuthorityIds } from '../identity';
import { listAuthorities } from '../store/authorities';
import { heldRowsOfSales, lockLedger, refundedSales } from '../store/held-sales';
import { storeDay } from '../store/store-day';
import { findEnrolment } from '../store/terminals';
import { verifyDay, type DayVerification } from '../verify/verify-day';
import { readExportFolder, type ExportFolder } from './export-folder';

/** pg_advisory_xact_lock key held by the detection pass ("NFCD"). */
const DETECTION_LOCK = 0x4e464344;

export interface IngestSource {
  /** Folder holding the four export files of one business day. */
  folder: string;
}

export interface IngestDeps {
  /** verify-export worker threads (default: CPUs - 1). */
  workers?: number;
}

interface DayFacts {
  dayId: number;
  keyId: string;
  terminalId: string;
  merchantId: string;
  businessDate: string;
}

export type IngestResult =
  | (DayFacts & {
      status: 'stored';
      rows: number;
      approvals: number;
      licenses: number;
      verification: DayVerification;
      findings: RecordedFinding[];
    })
  | (DayFacts & { status: 'already_held'; ingestedAt: string });

async function heldDay(db: Database, folder: ExportFolder): Promise<IngestResult | null> {
  const [held] = await db.query<{
    id: number;
    key_id: string;
    terminal_id: string;
    merchant_id: string;
    business_date: string;
    ingested_at: Date;
  }>('SELECT id, key_id, terminal_id, merchant_id, business_date, ingested_at FROM days WHERE manifest_sha256 = $1', [
    folder.manifestSha256,
  ]);
  if (held) {
    return {
      status: 'already_held',
      dayId: held.id,
      keyId: held.key_id,
      terminalId: held.terminal_id,
      merchantId: held.merchant_id,
      businessDate: held.business_date,
      ingestedAt: held.ingested_at.toISOString(),
    };
  }
  const [conflict] = await db.query<{ id: number }>('SELECT id FROM days WHERE ledger_id = $1 AND business_date = $2', [
    folder.manifest.ledgerId,
    folder.manifest.businessDate,
  ]);
  if (conflict) {
    throw new SettlementError(
      'DAY_CONFLICT',
      `another export of ledger ${folder.manifest.ledgerId} for ${folder.manifest.businessDate} is already held (day ${conflict.id}); a day is settled from one export`,
    );
  }
  return null;
}

export async function ingestDay(db: Database, source: IngestSource, deps: IngestDeps = {}): Promise<IngestResult> {
  try {
    return await ingest(db, source, deps);
  } catch (error) {
    throw toSettlementError(error);
  }
}

async function ingest(db: Database, source: IngestSource, deps: IngestDeps): Promise<IngestResult> {
  const folder = await readExportFolder(source.folder);
  const held = await heldDay(db, folder);
  if (held) return held;
  const { manifest } = folder;
  const keyId = manifest.terminalKey.keyId;
  const enrolment = await findEnrolment(db, keyId);
  if (!enrolment)
    throw new SettlementError('UNKNOWN_TERMINAL_KEY', `the manifest is signed by key ${keyId}, which no terminal is enrolled with`);
  if (enrolment.retiredAt)
    throw new SettlementError(
      'RETIRED_TERMINAL_KEY',
      `terminal key ${keyId} (${enrolment.terminalId}) was retired on ${enrolment.retiredAt}`,
    );
  if (enrolment.merchantId !== manifest.merchantId) {
    throw new SettlementError(
      'MERCHANT_MISMATCH',
      `the export is of merchant ${manifest.merchantId}; key ${keyId} is enrolled for merchant ${enrolment.merchantId}`,
    );
  }
  const authorities = await listAuthorities(db);
  const facts = {
    keyId,
    terminalId: manifest.terminalId,
    merchantId: manifest.merchantId,
    businessDate: manifest.businessDate,
  };
  try {
    return await db.transaction(async (tx) => {
      // The sales this day refunds may be earlier days' (held, committed): read under the
      // ledger's lock, so another day of the ledger cannot take the same remainder meanwhile.
      await lockLedger(tx, manifest.ledgerId);
      const heldRows = await heldRowsOfSales(tx, manifest.ledgerId, refundedSales(manifest));
      const [verified, stored] = await Promise.allSettled([
        verifyDay(folder.manifestPath, {
          authorities,
          keyId,
          heldRows,
          ...(deps.workers === undefined ? {} : { workers: deps.workers }),
        }),
        storeDay(tx, folder, keyId, new AuthorityIds(authorities)),
      ]);
      if (verified.status === 'rejected') throw verified.reason;
      if (stored.status === 'rejected') throw stored.reason;
      await tx.query('SELECT pg_advisory_xact_lock($1)', [DETECTION_LOCK]);
      const findings = await detectDay(tx, stored.value.dayId);
      return {
        status: 'stored' as const,
        ...facts,
        dayId: stored.value.dayId,
        rows: stored.value.rows,
        approvals: stored.value.approvals,
        licenses: stored.value.licenses,
        verification: verified.value,
        findings,
      };
    });
  } catch (error) {
    // The same day uploaded twice at once: the second one's insert meets the first one's row.
    if ((error as { code?: unknown } | null)?.code === '23505') {
      const again = await heldDay(db, folder);
      if (again) return again;
    }
    throw error;
  }
}
