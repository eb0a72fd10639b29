// Words for verify-export's result (the contract's Verification) in the interface language:
// the verdict, the figures, who signed, and a translated title for each coded problem. Pure:
// the translator is passed in.
import type { Verification, VerificationProblemCode } from '../../src-main/ipc/contract';
import type { Vars } from './interpolate';

/** The translation keys this module uses, each with its placeholders. */
export type VerificationKey =
  | 'export.verified'
  | 'export.notVerified'
  | 'export.summary'
  | 'export.signedBy'
  | 'export.signedByUnchecked'
  | 'export.moreProblems'
  | `export.problem.${VerificationProblemCode}`;

export type Translate = (key: VerificationKey, vars?: Vars) => string;

export interface VerificationText {
  verdict: string;
  summary: string;
  signedBy?: string;
  problems: { code: VerificationProblemCode; title: string; detail: string }[];
  /** Problems found but not listed (main lists at most 50). */
  more?: string;
}

export function describeVerification(v: Verification, t: Translate): VerificationText {
  const fingerprint = v.terminalKeyFingerprint;
  const unlisted = v.problemCount - v.problems.length;
  return {
    verdict: v.ok ? t('export.verified', { n: v.transactions }) : t('export.notVerified'),
    summary: t('export.summary', {
      rows: v.rows,
      transactions: v.transactions,
      approvals: v.approvalsVerified,
      licenses: v.licenses,
      problems: v.problemCount,
    }),
    ...(fingerprint ? { signedBy: t(v.terminalKeyPinned ? 'export.signedBy' : 'export.signedByUnchecked', { fingerprint }) } : {}),
    problems: v.problems.map((p) => ({ code: p.code, title: t(`export.problem.${p.code}`), detail: p.detail })),
    ...(unlisted > 0 ? { more: t('export.moreProblems', { n: unlisted }) } : {}),
  };
}
