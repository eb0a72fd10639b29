// Stores one verified business day inside the caller's transaction: the day's row (manifest kept
// byte for byte), every ledger row by COPY (the exact JSONL line plus the columns detection and
// statements read), the licenses seen and the day's spend per license. The JSONL is hashed as it
// is read and must still be the file verify-export checked, or the transaction is abandoned.
import { createHash } from 'node:crypto';
import { copyText, type Queryable } from '../db/port';
import { SettlementError } from '../errors';
import type { AuthorityIds } from '../identity';
import { hashedLines } from '../../src-main/export/hashed-lines';
import type { ExportFolder } from '../ingest/export-folder';
import { parseJsonRecord } from '../../src-main/export/records';
import { readLicense } from '../../src-main/verification/license';
import type { LedgerRow } from '../../src-main/ledger/row';

export const COPY_ENTRIES = `COPY entries (day_id, seq, key_id, kind, status, business_date, recorded_at, terminal_id, merchant_id,
  transaction_id, original_transaction_id, amount, currency, account_id, authority_id, authority_kid, license_serial,
  app_counter, license_sha256, demo, prev_hash, hash, record) FROM STDIN`;

interface LicenseRow {
  sha256: string;
  authorityId: string;
  serial: string;
  kid: string;
  accountId: string;
  offlineLimit: number;
  currency: string;
  notBefore: number;
  notAfter: number;
  cose: string;
}

export interface StoredDay {
  dayId: number;
  rows: number;
  approvals: number;
  licenses: number;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

function entryLine(dayId: number, keyId: string, ids: AuthorityIds, row: LedgerRow, licenseSha: string | null, line: string): string {
  const values = [
    dayId,
    row.seq,
    keyId,
    row.kind,
    row.status,
    row.businessDate,
    row.recordedAt,
    row.terminalId,
    row.merchantId,
    row.transactionId,
    row.originalTransactionId,
    row.amount,
    row.currency,
    row.accountId,
    row.authorityKid === null ? null : ids.of(row.authorityKid),
    row.authorityKid,
    row.licenseSerial,
    row.appCounter,
    licenseSha,
    row.demo,
    hex(row.prevHash),
    hex(row.hash),
    line,
  ];
  return `${values.map(copyText).join('\t')}\n`;
}

export async function storeDay(tx: Queryable, source: ExportFolder, keyId: string, ids: AuthorityIds): Promise<StoredDay> {
  const { manifest } = source;
  const [day] = await tx.query<{ id: number }>(
    `INSERT INTO days (key_id, terminal_id, merchant_id, ledger_id, business_date, z_number, row_count, first_seq, last_seq,
       first_prev_hash, last_hash, manifest_sha256, manifest)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [
      keyId,
      manifest.terminalId,
      manifest.merchantId,
      manifest.ledgerId,
      manifest.businessDate,
      manifest.zNumber,
      manifest.counts.rows,
      manifest.chain.firstSeq,
      manifest.chain.lastSeq,
      manifest.chain.firstPrevHash,
      manifest.chain.lastHash,
      source.manifestSha256,
      source.manifestText,
    ],
  );
  if (!day) throw new SettlementError('INTERNAL', 'the day row was not created');
  const dayId = day.id;
  const licenses = new Map<string, LicenseRow>();
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  let approvals = 0;

  async function* copyLines(): AsyncGenerator<string> {
    for await (const lines of hashedLines(source.jsonlPath, (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
    })) {
      let text = '';
      for (const line of lines) {
        const row = parseJsonRecord(line);
        rows += 1;
        let licenseSha: string | null = null;
        if (row.license !== null) {
          licenseSha = createHash('sha256').update(row.license).digest('hex');
          if (!licenses.has(licenseSha)) {
            const read = readLicense(row.license);
            const kid = read.kid ?? '';
            licenses.set(licenseSha, {
              sha256: licenseSha,
              authorityId: ids.of(kid),
              serial: read.content.serial,
              kid,
              accountId: read.content.accountId,
              offlineLimit: read.content.offlineLimit,
              currency: read.content.currency,
              notBefore: read.content.notBefore * 1000,
              notAfter: read.content.notAfter * 1000,
              cose: Buffer.from(row.license).toString('base64url'),
            });
          }
        }
        if (row.kind === 'sale' && row.status === 'approved') approvals += 1;
        text += entryLine(dayId, keyId, ids, row, licenseSha, line);
      }
      yield text;
    }
    const expected = source.manifest.files.jsonl;
    if (hash.digest('hex') !== expected.sha256 || bytes !== expected.bytes) {
      throw new SettlementError('CHANGED_DURING_INGEST', `${expected.name} changed while it was being stored; nothing was stored`);
    }
  }
  try {
    await tx.copyIn(COPY_ENTRIES, copyLines());
  } catch (error) {
    throw error instanceof SettlementError ? error : (unwrapCause(error) ?? error);
  }

  // Only approvals' licenses are kept: a declined sale's license may not have verified.
  const approvedLicenses = await tx.query<{ license_sha256: string }>(
    `SELECT DISTINCT license_sha256 FROM entries WHERE day_id = $1 AND kind = 'sale' AND status = 'approved' AND license_sha256 IS NOT NULL`,
    [dayId],
  );
  const kept = approvedLicenses.map((row) => licenses.get(row.license_sha256)).filter((row): row is LicenseRow => row !== undefined);
  const column = <K extends keyof LicenseRow>(key: K): LicenseRow[K][] => kept.map((row) => row[key]);
  await tx.query(
    `INSERT INTO licenses (sha256, authority_id, serial, kid, account_id, offline_limit, currency, not_before, not_after, cose, first_day_id)
     SELECT l.*, $11::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::bigint[], $9::bigint[], $10::text[])
       AS l (sha256, authority_id, serial, kid, account_id, offline_limit, currency, not_before, not_after, cose)
     ON CONFLICT (sha256) DO NOTHING`,
    [
      column('sha256'),
      column('authorityId'),
      column('serial'),
      column('kid'),
      column('accountId'),
      column('offlineLimit'),
      column('currency'),
      column('notBefore'),
      column('notAfter'),
      column('cose'),
      dayId,
    ],
  );
  // The day's spend per license: its approvals, the ones of them a void of the day cancels, and
  // the day's refunds (of this day's sales or earlier ones; a refund row carries its sale's license).
  await tx.query(
    `INSERT INTO license_day_spend (day_id, authority_id, serial, currency, approved, voided, refunded)
     SELECT $1::bigint, s.authority_id, s.license_serial, s.currency,
            coalesce(sum(s.amount) FILTER (WHERE s.kind = 'sale'), 0),
            coalesce(sum(s.amount) FILTER (WHERE s.kind = 'sale' AND v.seq IS NOT NULL), 0),
            coalesce(sum(s.amount) FILTER (WHERE s.kind = 'refund'), 0)
       FROM entries s
       LEFT JOIN entries v ON s.kind = 'sale' AND v.day_id = s.day_id AND v.kind = 'void' AND v.original_transaction_id = s.transaction_id
      WHERE s.day_id = $1 AND ((s.kind = 'sale' AND s.status = 'approved') OR s.kind = 'refund')
        AND NOT s.demo AND s.authority_id IS NOT NULL AND s.license_serial IS NOT NULL
      GROUP BY s.authority_id, s.license_serial, s.currency`,
    [dayId],
  );
  return { dayId, rows, approvals, licenses: kept.length };
}

/** A SettlementError thrown inside the COPY source reaches us wrapped by the stream pipeline. */
function unwrapCause(error: unknown): SettlementError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof SettlementError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
