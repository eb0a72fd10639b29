// The per-row work of verify-export that needs the whole row: its own hash, recomputed from the
// canonical form, and for an approval the license and authorization. Runs inline or in workers.
import { hashesEqual, rowHash, toHex } from '../ledger/canonical';
import { parseJsonRecord, RecordFormatError, rowLabel, summaryOf, type RecordSummary } from './records';
import type { LedgerRow } from '../ledger/row';
import type { RecordedApprovalVerifier } from '../verification/recorded-approval';
import type { VerifyProblem } from './verify-problems';

export interface RowCheck {
  problems: VerifyProblem[]; // details labelled with the row
  approvalFailed: boolean; // an approval whose license or authorization did not verify
}

/**
 * One JSONL line, parsed once: its own checks and the summary verify-export keeps its books with
 * (so a worker's answer is all the main thread needs). `summary` is null when the line does not
 * parse; `parseError` then says why.
 */
export interface LineCheck extends RowCheck {
  summary: RecordSummary | null;
  parseError: string | null;
}

export function checkRowLine(line: string, verifier: RecordedApprovalVerifier | null): LineCheck {
  try {
    const row = parseJsonRecord(line);
    const check = checkRow(row, verifier);
    return { summary: summaryOf(row), parseError: null, problems: check.problems, approvalFailed: check.approvalFailed };
  } catch (error) {
    const message = error instanceof RecordFormatError ? error.message : String(error);
    return { summary: null, parseError: message, problems: [], approvalFailed: false };
  }
}

export function checkRow(row: LedgerRow, verifier: RecordedApprovalVerifier | null): RowCheck {
  const problems: VerifyProblem[] = [];
  const computed = rowHash(row);
  if (!hashesEqual(computed, row.hash)) {
    problems.push({
      code: 'chain',
      detail: `${rowLabel(row)}: chain hash mismatch: stored ${toHex(row.hash)}, content hashes to ${toHex(computed)}`,
    });
  }
  let approvalFailed = false;
  if (verifier && row.kind === 'sale' && row.status === 'approved') {
    const verdict = verifier.verify(row);
    approvalFailed = !verdict.ok;
    if (!verdict.ok)
      for (const problem of verdict.problems) problems.push({ code: 'approval', detail: `${rowLabel(row)}: ${problem.detail}` });
  }
  if (verifier && row.kind === 'refund') {
    for (const problem of verifier.verifyRefundTap(row)) problems.push({ code: 'refund', detail: `${rowLabel(row)}: ${problem.detail}` });
  }
  return { problems, approvalFailed };
}
