// The result of verify-export (src-main/export/verify-export.ts) as the contract's Verification:
// figures and one coded problem each, so the renderer can say it in the interface language. The
// codes are verify-export's own (the contract's list is theirs); each problem's English line
// stays as written (technical detail for support).
import type { VerifyExportResult } from '../export/verify-export';
import type { Verification } from './contract';

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
    problems: result.issues.map(({ code, detail }) => ({ code, detail })),
  };
}
