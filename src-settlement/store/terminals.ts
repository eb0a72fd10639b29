// Enrolment of terminal keys: the settlement desk pins a terminal by the key id `ledger key`
// prints, with its terminal and merchant. Retiring is a row of its own.
import { z } from 'zod';
import type { Queryable } from '../db/port';
import { SettlementError } from '../errors';

export const enrolmentSchema = z.object({
  keyId: z
    .string()
    .transform((text) => text.replace(/\s+/g, '').toLowerCase())
    .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'a key id is 64 hex digits (the SHA-256 of the terminal key, `ledger key` prints it)')),
  terminalId: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
});

export type EnrolmentInput = z.input<typeof enrolmentSchema>;

export interface Enrolment {
  keyId: string;
  terminalId: string;
  merchantId: string;
  enrolledAt: string;
  retiredAt: string | null;
}

export function parseEnrolment(input: unknown): z.infer<typeof enrolmentSchema> {
  const parsed = enrolmentSchema.safeParse(input);
  if (!parsed.success)
    throw new SettlementError('BAD_INPUT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Enrols a key; enrolling the same key with the same terminal and merchant again changes nothing. */
export async function enrolTerminal(db: Queryable, input: unknown): Promise<{ enrolment: Enrolment; created: boolean }> {
  const { keyId, terminalId, merchantId } = parseEnrolment(input);
  const inserted = await db.query(
    'INSERT INTO terminal_keys (key_id, terminal_id, merchant_id) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING RETURNING key_id',
    [keyId, terminalId, merchantId],
  );
  const enrolment = await findEnrolment(db, keyId);
  if (!enrolment) throw new SettlementError('INTERNAL', `enrolment of ${keyId} vanished`);
  if (enrolment.terminalId !== terminalId || enrolment.merchantId !== merchantId) {
    throw new SettlementError(
      'BAD_INPUT',
      `key ${keyId} is already enrolled for terminal ${enrolment.terminalId} of merchant ${enrolment.merchantId}`,
    );
  }
  return { enrolment, created: inserted.length > 0 };
}

export async function retireTerminal(db: Queryable, keyId: string, reason: string): Promise<Enrolment> {
  const enrolment = await findEnrolment(db, keyId);
  if (!enrolment) throw new SettlementError('NOT_FOUND', `no terminal is enrolled with key ${keyId}`);
  await db.query('INSERT INTO terminal_key_retirements (key_id, reason) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING', [keyId, reason]);
  return (await findEnrolment(db, keyId)) ?? enrolment;
}

interface EnrolmentRow {
  key_id: string;
  terminal_id: string;
  merchant_id: string;
  enrolled_at: Date;
  retired_at: Date | null;
}

const toEnrolment = (row: EnrolmentRow): Enrolment => ({
  keyId: row.key_id,
  terminalId: row.terminal_id,
  merchantId: row.merchant_id,
  enrolledAt: row.enrolled_at.toISOString(),
  retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
});

const SELECT_ENROLMENTS = `SELECT k.key_id, k.terminal_id, k.merchant_id, k.enrolled_at, r.retired_at
  FROM terminal_keys k LEFT JOIN terminal_key_retirements r ON r.key_id = k.key_id`;

export async function findEnrolment(db: Queryable, keyId: string): Promise<Enrolment | null> {
  const [row] = await db.query<EnrolmentRow>(`${SELECT_ENROLMENTS} WHERE k.key_id = $1`, [keyId]);
  return row ? toEnrolment(row) : null;
}

export async function listEnrolments(db: Queryable): Promise<Enrolment[]> {
  return (await db.query<EnrolmentRow>(`${SELECT_ENROLMENTS} ORDER BY k.merchant_id, k.terminal_id, k.key_id`)).map(toEnrolment);
}
