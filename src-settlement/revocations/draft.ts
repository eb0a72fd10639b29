// The draft of the next revocation list, per issuing authority: the licenses behind findings
// that show a cloned or over-spent license (counter_reuse, offline_limit_exceeded) added to
// everything that authority's newest list already revokes. The authority reviews it and signs it
// with its own tool; the draft carries that exact command.
import type { Database } from '../db/port';

export interface RevocationDraft {
  authorityId: string;
  /** The key that signed the authority's newest list held (its sequence numbers are per key). */
  issuerKid: string;
  /** One more than the newest list held from this authority (1 when none is held). */
  sequence: number;
  licenseSerials: string[];
  authorityKids: string[];
  /** Serials new in this draft, each with the findings behind it. */
  added: { serial: string; findings: { id: number; kind: string }[] }[];
  /** `npm run cli -- authority revoke ...` that signs exactly this list. */
  command: string[];
}

const REVOKING_KINDS = ['counter_reuse', 'offline_limit_exceeded'];

export async function draftRevocationLists(db: Database): Promise<RevocationDraft[]> {
  const behind = await db.query<{
    authority_id: string;
    license_serial: string;
    id: number;
    kind: string;
  }>(
    `SELECT f.authority_id, f.license_serial, f.id, f.kind FROM findings f
      WHERE f.kind = ANY($1::text[]) AND f.authority_id IS NOT NULL AND f.license_serial IS NOT NULL
      ORDER BY f.authority_id, f.license_serial, f.id`,
    [REVOKING_KINDS],
  );
  const issuers = new Map<string, Map<string, { id: number; kind: string }[]>>();
  for (const row of behind) {
    const serials = issuers.get(row.authority_id) ?? new Map<string, { id: number; kind: string }[]>();
    serials.set(row.license_serial, [...(serials.get(row.license_serial) ?? []), { id: row.id, kind: row.kind }]);
    issuers.set(row.authority_id, serials);
  }
  const drafts: RevocationDraft[] = [];
  for (const [authorityId, serials] of issuers) {
    const [latest] = await db.query<{ issuer_kid: string; sequence: number }>(
      `SELECT l.issuer_kid, l.sequence FROM revocation_lists l JOIN authority_keys a ON a.kid = l.issuer_kid
        WHERE a.authority_id = $1 ORDER BY l.issued_at DESC, l.sequence DESC LIMIT 1`,
      [authorityId],
    );
    const [newestKey] = await db.query<{ kid: string }>(
      'SELECT kid FROM authority_keys WHERE authority_id = $1 ORDER BY not_after DESC, kid LIMIT 1',
      [authorityId],
    );
    const issuerKid = latest?.issuer_kid ?? newestKey?.kid ?? authorityId;
    const held = latest?.sequence ?? null;
    const revoked =
      held === null
        ? []
        : await db.query<{ serial: string }>(
            'SELECT serial FROM revoked_licenses WHERE issuer_kid = $1 AND sequence = $2 ORDER BY serial',
            [issuerKid, held],
          );
    const kids =
      held === null
        ? []
        : await db.query<{ kid: string }>('SELECT kid FROM revoked_authority_keys WHERE issuer_kid = $1 AND sequence = $2 ORDER BY kid', [
            issuerKid,
            held,
          ]);
    const already = new Set(revoked.map((r) => r.serial));
    const added = [...serials].filter(([serial]) => !already.has(serial)).map(([serial, findings]) => ({ serial, findings }));
    if (added.length === 0) continue;
    const sequence = held === null ? 1 : held + 1;
    const licenseSerials = [...already, ...added.map((a) => a.serial)].sort();
    const authorityKids = kids.map((k) => k.kid);
    drafts.push({
      authorityId,
      issuerKid,
      sequence,
      licenseSerials,
      authorityKids,
      added,
      command: [
        'npm',
        'run',
        'cli',
        '--',
        'authority',
        'revoke',
        '--key',
        `<${issuerKid} key file>`,
        '--sequence',
        String(sequence),
        ...licenseSerials.flatMap((serial) => ['--serial', serial]),
        ...authorityKids.flatMap((kid) => ['--revoke-kid', kid]),
        '--out',
        `revocations-${issuerKid}-${sequence}.json`,
      ],
    });
  }
  return drafts;
}
