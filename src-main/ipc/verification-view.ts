// The result of verify-export (src-main/export/verify-export.ts) as the contract's Verification:
// figures and a kind per problem, so the renderer can say it in the interface language. The
// problem lines themselves stay as written (technical detail for support). verify-export
// reports problems as English lines; each line's kind is read from its wording here, in one
// table, checked against real damaged exports in tests/unit/ipc/verification-view.test.ts.
import type { VerifyExportResult } from '../export/verify-export';
import type { Verification, VerificationProblemCode } from './contract';

/** First match wins; the order matters where wordings overlap ("manifest ..."). */
const PROBLEM_KINDS: readonly [VerificationProblemCode, RegExp][] = [
  ['no_trust_store', /^no trust store given/],
  ['terminal_key', /^manifest signed by terminal key|^previous manifest is signed by another terminal key/],
  ['totals', /^manifest (counts\.|totals|demo totals|Z number|lists \d+ voids|first sequence|last sequence|last hash)/],
  ['chain', /chain hash mismatch|chain link broken|chain sequence gap|previous hash is not|does not follow the previous export|^previous manifest/],
  ['file_changed', /SHA-256 [0-9a-f]* != manifest|bytes != manifest|does not say what the JSONL records say|^manifest: the file is not laid out as written/],
  ['manifest', /^manifest/],
  ['record', / line \d+: |voided twice|recorded twice|is not an approved sale of this day|is not the manifest's void number|business date \S+ is not|cannot be written as CSV|does not grow past/],
  [
    'approval',
    /license|authority key|authorization|signature|payment request|payment response|deduction request|app public key|not in the trust store|algorithm .* is not allowed|no kid/,
  ],
];

export function problemCode(line: string): VerificationProblemCode {
  for (const [code, pattern] of PROBLEM_KINDS) if (pattern.test(line)) return code;
  return 'other';
}

export function verificationOf(result: VerifyExportResult): Verification {
  return {
    ok: result.ok,
    rows: result.rows,
    transactions: result.transactions,
    approvalsVerified: result.approvalsVerified,
    licenses: result.licenses,
    problemCount: result.problemCount,
    ...(result.terminalKeyFingerprint ? { terminalKeyFingerprint: result.terminalKeyFingerprint } : {}),
    terminalKeyPinned: result.terminalKeyPinned,
    problems: result.problems.map((detail) => ({ code: problemCode(detail), detail })),
  };
}
