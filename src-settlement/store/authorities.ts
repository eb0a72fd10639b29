// The authority keys the service verifies licenses against: trust-store entries exactly as
// `authority export-trust` writes them (the terminal imports the same files).
import type { Queryable } from '../db/port';
import { SettlementError } from '../errors';
import { authorityIdOf } from '../identity';
import { parseTrustEntry, TrustEntryError, trustEntryToJson, type TrustedAuthority } from '../../src-main/verification/trust-store';

export async function addAuthorityKey(db: Queryable, entry: unknown): Promise<{ authority: TrustedAuthority; created: boolean }> {
  let authority: TrustedAuthority;
  try {
    authority = parseTrustEntry(entry);
  } catch (error) {
    if (error instanceof TrustEntryError) throw new SettlementError('BAD_INPUT', error.message);
    throw error;
  }
  const json = trustEntryToJson(authority);
  const inserted = await db.query(
    'INSERT INTO authority_keys (kid, authority_id, not_before, not_after, entry) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kid) DO NOTHING RETURNING kid',
    [authority.kid, authorityIdOf(authority.kid), authority.notBefore, authority.notAfter, JSON.stringify(json)],
  );
  if (inserted.length === 0) {
    const [held] = await db.query<{ entry: unknown }>('SELECT entry FROM authority_keys WHERE kid = $1', [authority.kid]);
    if (!Buffer.from(parseTrustEntry(held?.entry).publicKey).equals(Buffer.from(authority.publicKey))) {
      throw new SettlementError('BAD_INPUT', `authority key ${authority.kid} is already held with another public key`);
    }
  }
  return { authority, created: inserted.length > 0 };
}

export async function listAuthorities(db: Queryable): Promise<TrustedAuthority[]> {
  const rows = await db.query<{ entry: unknown }>('SELECT entry FROM authority_keys ORDER BY kid');
  return rows.map((row) => parseTrustEntry(row.entry));
}
