// A revocation list signed by an authority (`authority revoke`), taken in: verified against the
// authority keys held, kept whole (the service hands the newest back to terminals), one row per
// revoked serial and key, and the approvals already held that it catches become findings.
import type { Database } from '../db/port';
import { SettlementError, toSettlementError } from '../errors';
import { recordAll } from '../detect/detect-day';
import type { RecordedFinding } from '../detect/finding';
import { detectRevokedByList } from '../detect/revoked';
import { AuthorityIds } from '../identity';
import { listAuthorities } from '../store/authorities';
import { RevocationListError, verifyRevocationList } from '../../src-main/verification/revocation';
import { createTrustStore } from '../../src-main/verification/trust-store';

export interface ImportedList {
  status: 'stored' | 'already_held';
  issuerKid: string;
  sequence: number;
  issuedAt: string;
  licenseSerials: number;
  authorityKids: number;
  findings: RecordedFinding[];
}

export async function importRevocationList(db: Database, file: unknown, now: number = Date.now()): Promise<ImportedList> {
  try {
    const authorities = await listAuthorities(db);
    const trustStore = createTrustStore(authorities);
    let list;
    try {
      list = verifyRevocationList(file, trustStore, now);
    } catch (error) {
      if (error instanceof RevocationListError) throw new SettlementError('BAD_REVOCATION_LIST', `${error.code}: ${error.detail}`);
      throw error;
    }
    const facts = {
      issuerKid: list.issuerKid,
      sequence: list.sequence,
      issuedAt: new Date(list.issuedAt).toISOString(),
      licenseSerials: list.licenseSerials.size,
      authorityKids: list.authorityKids.size,
    };
    return await db.transaction(async (tx) => {
      const inserted = await tx.query(
        'INSERT INTO revocation_lists (issuer_kid, sequence, issued_at, file) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING sequence',
        [list.issuerKid, list.sequence, list.issuedAt, JSON.stringify(file)],
      );
      if (inserted.length === 0) {
        const [held] = await tx.query<{ cose: string | null }>(
          "SELECT file ->> 'cose' AS cose FROM revocation_lists WHERE issuer_kid = $1 AND sequence = $2",
          [list.issuerKid, list.sequence],
        );
        // The signed bytes decide; the JSON around them is kept as jsonb (key order not kept).
        if (held?.cose !== signedBytesOf(file)) {
          throw new SettlementError(
            'BAD_REVOCATION_LIST',
            `list #${list.sequence} of ${list.issuerKid} is already held with other content`,
          );
        }
        return { status: 'already_held' as const, ...facts, findings: [] };
      }
      await tx.query(
        `INSERT INTO revoked_licenses (issuer_kid, sequence, authority_id, serial, issued_at)
         SELECT $1, $2, $3, s, $4 FROM unnest($5::text[]) AS s`,
        [list.issuerKid, list.sequence, new AuthorityIds(authorities).of(list.issuerKid), list.issuedAt, [...list.licenseSerials]],
      );
      await tx.query(
        `INSERT INTO revoked_authority_keys (issuer_kid, sequence, kid, issued_at) SELECT $1, $2, k, $3 FROM unnest($4::text[]) AS k`,
        [list.issuerKid, list.sequence, list.issuedAt, [...list.authorityKids]],
      );
      const findings = await recordAll(tx, await detectRevokedByList(tx, list.issuerKid, list.sequence));
      return { status: 'stored' as const, ...facts, findings };
    });
  } catch (error) {
    throw toSettlementError(error);
  }
}

function signedBytesOf(file: unknown): string | null {
  const cose = typeof file === 'object' && file !== null ? (file as { cose?: unknown }).cose : null;
  return typeof cose === 'string' ? cose : null;
}

/** The newest signed list of each issuer, as the authority signed it (what terminals import). */
export async function latestRevocationLists(
  db: Database,
): Promise<{ issuerKid: string; sequence: number; issuedAt: string; file: unknown }[]> {
  const rows = await db.query<{
    issuer_kid: string;
    sequence: number;
    issued_at: number;
    file: unknown;
  }>(`SELECT DISTINCT ON (issuer_kid) issuer_kid, sequence, issued_at, file FROM revocation_lists ORDER BY issuer_kid, sequence DESC`);
  return rows.map((row) => ({
    issuerKid: row.issuer_kid,
    sequence: row.sequence,
    issuedAt: new Date(row.issued_at).toISOString(),
    file: row.file,
  }));
}
