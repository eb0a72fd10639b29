// counter_reuse: two approvals under one license identity with one app counter and different
// transaction ids. A phone's counter only grows and a terminal refuses a counter it has seen,
// so this is one app key signing twice at different terminals: a cloned phone or key.
import type { Queryable } from '../db/port';
import { identityText } from '../identity';
import { approvalsEvidence, authorityEntry, licenseEvidence } from './evidence';
import type { NewFinding } from './finding';

interface Pair {
  n_day: number;
  n_seq: number;
  n_tx: string;
  o_day: number;
  o_seq: number;
  o_tx: string;
  authority_id: string;
  license_serial: string;
  app_counter: number;
  license_sha256: string;
  key_n: string;
  key_o: string;
}

const PAIRS = `SELECT n.day_id AS n_day, n.seq AS n_seq, n.transaction_id AS n_tx, o.day_id AS o_day, o.seq AS o_seq, o.transaction_id AS o_tx,
       n.authority_id, n.license_serial, n.app_counter, n.license_sha256, n.key_id AS key_n, o.key_id AS key_o
  FROM entries n
  JOIN entries o ON o.authority_id = n.authority_id AND o.license_serial = n.license_serial AND o.app_counter = n.app_counter
                AND o.kind = 'sale' AND o.status = 'approved' AND o.transaction_id <> n.transaction_id
 WHERE n.day_id = $1 AND n.kind = 'sale' AND n.status = 'approved'
 ORDER BY n.seq, o.day_id, o.seq`;

export async function detectCounterReuse(tx: Queryable, dayId: number): Promise<NewFinding[]> {
  const pairs = await tx.query<Pair>(PAIRS, [dayId]);
  const findings: NewFinding[] = [];
  for (const pair of pairs) {
    const identity = {
      authorityId: pair.authority_id,
      serial: pair.license_serial,
    };
    const [first, second] = [pair.n_tx, pair.o_tx].sort();
    const license = await licenseEvidence(tx, pair.license_sha256);
    const approvals = await approvalsEvidence(tx, [
      { day_id: pair.o_day, seq: pair.o_seq },
      { day_id: pair.n_day, seq: pair.n_seq },
    ]);
    findings.push({
      kind: 'counter_reuse',
      subject: `${identityText(identity)}#${pair.app_counter}:${first}:${second}`,
      dayId,
      authorityId: identity.authorityId,
      licenseSerial: identity.serial,
      keyId: pair.key_n,
      summary: `license ${identityText(identity)} signed app counter ${pair.app_counter} twice: transactions ${pair.o_tx} and ${pair.n_tx}`,
      evidence: {
        license,
        authorityKey: license ? await authorityEntry(tx, license.kid) : null,
        appCounter: pair.app_counter,
        approvals,
      },
      rows: [
        { dayId: pair.o_day, seq: pair.o_seq },
        { dayId: pair.n_day, seq: pair.n_seq },
      ],
    });
  }
  return findings;
}
