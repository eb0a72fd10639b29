import { describe, expect, it } from 'vitest';
import { VERIFICATION_PROBLEM_CODES, type Verification } from '../../../src-main/ipc/contract';
import { interpolate, type Vars } from '../../../src-renderer/lib/interpolate';
import { describeVerification, type Translate } from '../../../src-renderer/lib/verification';
import en from '../../../resources/i18n/en/ui.json';
import zh from '../../../resources/i18n/zh-CN/ui.json';

/** The renderer's lookup over one catalog; a missing key fails the test instead of showing the key. */
function translate(catalog: Record<string, string>): Translate {
  return (key: string, vars?: Vars) => {
    const text = catalog[key];
    if (text === undefined) throw new Error(`no ${key} in the catalog`);
    return interpolate(text, vars);
  };
}

const FINGERPRINT = 'AB12 CD34 EF56 7890';
const ok: Verification = {
  ok: true,
  rows: 5,
  transactions: 4,
  approvalsVerified: 3,
  licenses: 2,
  problemCount: 0,
  terminalKeyFingerprint: FINGERPRINT,
  terminalKeyPinned: true,
  problems: [],
};
const failed: Verification = {
  ...ok,
  ok: false,
  problemCount: 3,
  problems: [
    { code: 'file_changed', detail: 'day.csv: SHA-256 00 != manifest 11' },
    { code: 'approval', detail: 'row 2 (ab): license: authority key "demo-main" is not in the trust store' },
  ],
};

describe('export verification in the interface language', () => {
  it('says a good export verifies, with its figures and signer, in English', () => {
    const text = describeVerification(ok, translate(en));
    expect(text.verdict).toBe('The files verify (transactions: 4).');
    expect(text.summary).toBe('Rows: 5 · transactions: 4 · approvals verified: 3 (licenses: 2) · problems: 0');
    expect(text.signedBy).toBe(`Signed by this terminal's key ${FINGERPRINT}.`);
    expect(text.problems).toEqual([]);
    expect(text.more).toBeUndefined();
  });

  it('says the same in Chinese, with no English words left', () => {
    const text = describeVerification(ok, translate(zh));
    expect(text.verdict).toContain('4');
    expect(text.verdict).toMatch(/[\u4e00-\u9fff]/);
    expect(text.summary).toBe('5 行，4 笔交易；3 笔成功交易已按 2 个许可证验证；0 个问题。');
    expect(text.signedBy).toContain(FINGERPRINT);
    for (const line of [text.verdict, text.summary, text.signedBy ?? '']) expect(line.replace(FINGERPRINT, '')).not.toMatch(/[A-Za-z]{2,}/);
  });

  it("titles each problem by its code, keeps main's line as detail, and counts the unlisted ones", () => {
    for (const [catalog, language] of [
      [en, 'en'],
      [zh, 'zh-CN'],
    ] as const) {
      const text = describeVerification(failed, translate(catalog));
      expect(text.verdict, language).toBe(catalog['export.notVerified']);
      expect(text.problems.map((p) => p.code)).toEqual(['file_changed', 'approval']);
      expect(text.problems[0]?.title).toBe(catalog['export.problem.file_changed']);
      expect(text.problems[1]?.title).toBe(catalog['export.problem.approval']);
      expect(text.problems[1]?.detail).toContain('demo-main');
      expect(text.more).toBe(interpolate(catalog['export.moreProblems'], { n: 1 }));
    }
  });

  it('has a title for every problem code in both languages, and flags an unchecked signer', () => {
    for (const code of VERIFICATION_PROBLEM_CODES) {
      const problems = [{ code, detail: 'x' }];
      expect(describeVerification({ ...failed, problems }, translate(en)).problems[0]?.title).toBeTruthy();
      expect(describeVerification({ ...failed, problems }, translate(zh)).problems[0]?.title).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(describeVerification({ ...ok, terminalKeyPinned: false }, translate(en)).signedBy).toContain(
      'not checked against this terminal',
    );
    expect(describeVerification({ ...ok, terminalKeyFingerprint: undefined }, translate(en)).signedBy).toBeUndefined();
  });

  it('titles no problem code that verify-export does not give', () => {
    for (const catalog of [en, zh] as Record<string, string>[]) {
      const titled = Object.keys(catalog)
        .filter((key) => key.startsWith('export.problem.'))
        .map((key) => key.slice('export.problem.'.length));
      expect(titled.sort()).toEqual([...VERIFICATION_PROBLEM_CODES].sort());
    }
  });
});
