// Verification of an uploaded day with the project's own verify-export: manifest signature by the
// enrolled key, every file's hash, the hash chain, counts and totals, and every approval
// re-verified from its raw bytes against the authority keys the service holds. A refund of an
// earlier day's sale is judged against that sale as the service holds it (verify-export's refund
// books, seeded with the held rows).
//
// Validity windows are not judged here (clock skew is unbounded): an approval outside its
// license's or authority key's window is a signed fact the settlement desk must see, so it is
// stored and reported as an `expired_license_approved` finding instead of refusing the day.
import { availableParallelism } from 'node:os';
import { verifyExport } from '../../src-main/export/verify-export';
import type { TrustedAuthority } from '../../src-main/verification/trust-store';
import { SettlementError } from '../errors';

export interface DayVerification {
  rows: number;
  transactions: number;
  approvalsVerified: number;
  licenses: number;
  summary: string;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

export async function verifyDay(
  manifestPath: string,
  options: {
    authorities: TrustedAuthority[];
    keyId: string;
    workers?: number;
    /** The held rows of earlier days this day's refunds name (store/held-sales.ts). */
    heldRows?: readonly string[];
  },
): Promise<DayVerification> {
  if (options.authorities.length === 0) {
    throw new SettlementError(
      'NO_AUTHORITY_KEYS',
      "the service holds no authority key: add the authorities' trust entries first (settlement enrol authority FILE)",
    );
  }
  const result = await verifyExport(manifestPath, {
    authorities: options.authorities,
    expectTerminalKeyId: options.keyId,
    clockSkewMs: Number.POSITIVE_INFINITY,
    workers: options.workers ?? defaultWorkers(),
    maxProblemLines: 50,
    heldRows: options.heldRows ?? [],
  });
  if (!result.ok) {
    throw new SettlementError(
      'VERIFICATION_FAILED',
      `${result.problemCount} problem(s): ${result.issues[0]?.detail ?? result.summary}`,
      result.issues,
    );
  }
  return {
    rows: result.rows,
    transactions: result.transactions,
    approvalsVerified: result.approvalsVerified,
    licenses: result.licenses,
    summary: result.summary,
  };
}
