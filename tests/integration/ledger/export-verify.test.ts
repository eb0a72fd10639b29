import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBusinessDay, type ExportResult } from '../../../src-main/export/export-day';
import { manifestFileText, signManifest, type Manifest } from '../../../src-main/export/manifest';
import { jsonRecord, parseJsonRecord } from '../../../src-main/export/records';
import { loadOrCreateTerminalKey, type TerminalKey } from '../../../src-main/export/terminal-key';
import { parseTrustFile } from '../../../src-main/export/trust-file';
import { verifyExport } from '../../../src-main/export/verify-export';
import { rowHash } from '../../../src-main/ledger/canonical';
import type { Ledger } from '../../../src-main/ledger/ledger';
import { EMPTY_HISTORY, verifyExchange } from '../../../src-main/verification/pipeline';
import { CLOCK_SKEW_MS } from '../../../src-main/verification/license';
import { createTrustStore, type TrustStore } from '../../../src-main/verification/trust-store';
import type { DemoEnvironment } from '../../../src-main/wallet/demo';
import { openTestLedger, T0, tempDir } from '../../unit/ledger/fixtures';
import { reSignEditedRows } from '../../support/re-signed-export';
import { demoWorld, FastPhone, MERCHANT, order, realPayment, TERMINAL } from './exchanges';
import { nobleVerifier } from '../../../src-main/protocol/signature';

const DATE = '2026-11-23';
const BULK = 2000;

describe('business-day export and verify-export on genuinely signed payments', () => {
  let dir: string;
  let cleanup: () => void;
  let ledger: Ledger;
  let env: DemoEnvironment;
  let trust: TrustStore;
  let key: TerminalKey;
  let exported: ExportResult;
  let now = T0;
  const approvedIds: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('ledger-export-'));
    ledger = openTestLedger(dir, { clock: () => now, terminalId: TERMINAL, merchantId: MERCHANT });
    env = demoWorld(T0);
    trust = createTrustStore(parseTrustFile(env.trustEntries));
    key = loadOrCreateTerminalKey(dir);
    // Real exchanges through the terminal session and the reference wallet.
    for (const scenario of [
      'approve',
      'high-s',
      'approve',
      'wrong-amount',
      'expired-license',
      'unknown-authority',
      'removed-late',
      'bad-signature',
    ] as const) {
      now += 1000;
      const result = await realPayment(env, scenario, order(1500), ledger, now);
      ledger.record(result);
      if (result.decision.outcome === 'approved') approvedIds.push(result.order.transactionId);
    }
    expect(approvedIds).toHaveLength(3);
    // Thousands more, with line items, declines and voids.
    const phones = [new FastPhone(env, 'slow'), new FastPhone(env, 'locked'), new FastPhone(env, 'silent')];
    for (let i = 0; i < BULK; i++) {
      now += 7;
      const items =
        i % 4 === 0
          ? [
              { description: `Item ${i}, "special"`, quantity: 2, unitPrice: 150 },
              { description: '茶', quantity: 1, unitPrice: 100 },
            ]
          : undefined;
      const paid = order(items ? 400 : 100 + (i % 900), items ? { items } : {});
      const phone = phones[i % phones.length] as FastPhone;
      const result = phone.pay(paid, now);
      ledger.record(result);
      approvedIds.push(paid.transactionId);
    }
    ledger.void(approvedIds[5] as string, { reason: 'customer returned it', by: 'manager' });
    ledger.void(approvedIds[0] as string, { reason: 'wrong item', by: 'manager' });
    ledger.closeDay({ by: 'manager' });
    exported = await exportBusinessDay({
      ledgerPath: ledger.path,
      businessDate: DATE,
      outDir: join(dir, 'export'),
      terminalKey: key,
      terminalId: TERMINAL,
      merchantId: MERCHANT,
      timeZone: 'Asia/Shanghai',
      now,
    });
  }, 120_000);

  afterAll(() => {
    ledger.close();
    cleanup();
  });

  it('writes the four files named after terminal and date, with a clean chain', () => {
    expect(exported.files.map((f) => f.slice(exported.folder.length + 1))).toEqual([
      `${TERMINAL}-${DATE}.csv`,
      `${TERMINAL}-${DATE}-items.csv`,
      `${TERMINAL}-${DATE}.jsonl`,
      `${TERMINAL}-${DATE}.manifest.json`,
    ]);
    expect(exported.chainBreak).toBeNull();
    expect(exported.zNumber).toBe(1);
    expect(exported.rows).toBe(8 + BULK + 2 + 1);
  });

  it('CSV: header, one line per attempt, decimal amounts, masked accounts, voids flagged', () => {
    const lines = readFileSync(exported.files[0] as string, 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe(
      'seq,business_date,local_time,type,status,decline_reason,transaction_id,original_transaction_id,voided_by,refunded_by,amount,refunded,currency,account,license_serial,authority_id,authority_kid,app_counter,items,demo,operator,note,terminal_id,merchant_id',
    );
    expect(lines).toHaveLength(1 + 8 + BULK + 2);
    const first = (lines[1] as string).split(',');
    expect(first.slice(0, 5)).toEqual(['1', DATE, first[2], 'sale', 'approved']);
    expect(first[2]).toMatch(/^2026-11-23T12:00:01\.000\+08:00$/);
    expect(first[10]).toBe('15.00');
    expect(first[11]).toBe(''); // nothing refunded
    expect(first[13]).toMatch(/^\*+[^*]{4}$/);
    expect(first[8]).toMatch(/^[0-9a-f]{32}$/); // voided later the same day
    const voids = lines.filter((l) => l.split(',')[3] === 'void');
    expect(voids).toHaveLength(2);
    expect(readFileSync(exported.files[1] as string, 'utf8')).toContain('"Item 0, ""special""",2,1.50,3.00,CNY');
  });

  it('verifies: manifest signature, file hashes, chain, totals, every license and authorization', async () => {
    const result = await verifyExport(exported.manifestPath, { trustStore: trust, expectTerminalKeyId: key.keyId });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.approvalsVerified).toBe(3 + BULK);
    expect(result.transactions).toBe(8 + BULK + 2);
    expect(result.summary).toMatch(/^OK: /);
  });

  it('verifies the same with worker threads; a tampered row is reported in file order', async () => {
    const authorities = parseTrustFile(env.trustEntries);
    const result = await verifyExport(exported.manifestPath, { authorities, workers: 2, expectTerminalKeyId: key.keyId });
    expect(result.problems).toEqual([]);
    expect(result.approvalsVerified).toBe(3 + BULK);
    const copy = copyExport('workers-edited');
    const lines = readFileSync(copy.file(2), 'utf8').trimEnd().split('\n');
    for (const at of [1500, 40]) {
      const row = JSON.parse(lines[at] as string) as { amount: number };
      row.amount += 1;
      lines[at] = JSON.stringify(row);
    }
    writeFileSync(copy.file(2), `${lines.join('\n')}\n`);
    const bad = await verifyExport(copy.manifest, { authorities, workers: 2 });
    expect(bad.ok).toBe(false);
    const rowProblems = bad.problems.filter((p) => p.startsWith('row '));
    expect(rowProblems[0]).toMatch(/^row 41 .*chain hash mismatch/);
    expect(rowProblems.some((p) => /^row 41 .*authorization signs a different amount/.test(p))).toBe(true);
    expect(rowProblems.some((p) => /^row 1501 .*chain hash mismatch/.test(p))).toBe(true);
    expect(bad.approvalsVerified).toBe(3 + BULK - 2);
    // Workers hand back each line's summary in line order: the same report as one thread.
    const inline = await verifyExport(copy.manifest, { authorities, workers: 0 });
    expect(bad.problems).toEqual(inline.problems);
    expect(bad.summary).toBe(inline.summary);
    // The workers send each problem's code back with its line.
    expect(bad.issues).toEqual(inline.issues);
    expect(bad.issues.filter((p) => p.detail.startsWith('row 41 ')).map((p) => p.code)).toEqual([
      'chain',
      'approval',
      'approval',
      'approval',
    ]);
    expect(new Set(bad.issues.map((p) => p.code))).toEqual(new Set(['chain', 'approval', 'file_changed', 'totals']));
    // Cut at maxProblemLines in the same place as the lines; the count stays exact.
    const cut = await verifyExport(copy.manifest, { authorities, workers: 2, maxProblemLines: 3 });
    expect(cut.issues).toEqual(inline.issues.slice(0, 3));
    expect(cut.problems).toEqual(inline.problems.slice(0, 3));
    expect(cut.problemCount).toBe(inline.problemCount);
  }, 180_000);

  it('the bulk approvals are genuine: the protocol pipeline itself approves them from the stored bytes', () => {
    const lines = readFileSync(exported.files[2] as string, 'utf8')
      .trimEnd()
      .split('\n');
    for (const line of [lines[0], lines[10], lines[500], lines[2000]]) {
      const row = parseJsonRecord(line as string);
      if (row.status !== 'approved') continue;
      const decision = verifyExchange(
        {
          transactionId: row.transactionId as string,
          amount: row.amount as number,
          currency: row.currency as string,
          merchantId: row.merchantId,
          terminalId: row.terminalId,
        },
        {
          paymentRequest: row.paymentRequest ?? undefined,
          paymentResponse: row.paymentResponse ?? undefined,
          deductionRequest: row.deductionRequest ?? undefined,
          authorization: row.authorization ?? undefined,
        },
        {
          clock: () => row.recordedAt,
          clockSkewMs: CLOCK_SKEW_MS,
          verifier: nobleVerifier,
          trustStore: trust,
          revocations: env.revocations,
          history: EMPTY_HISTORY,
        },
      );
      expect(decision.outcome).toBe('approved');
    }
  });

  it('fails without a trust store, and against a trust store that lacks the authority', async () => {
    const none = await verifyExport(exported.manifestPath);
    expect(none.ok).toBe(false);
    expect(none.problems).toContain('no trust store given: license and authorization signatures not checked');
    const other = await verifyExport(exported.manifestPath, { trustStore: createTrustStore([]) });
    expect(other.ok).toBe(false);
    expect(other.problems[0]).toMatch(/authority key "demo-main" is not in the trust store/);
  });

  function copyExport(name: string): { manifest: string; file: (i: number) => string } {
    const target = join(dir, name);
    cpSync(exported.folder, target, { recursive: true });
    return {
      manifest: join(target, `${TERMINAL}-${DATE}.manifest.json`),
      file: (i) => join(target, (exported.files[i] as string).slice(exported.folder.length + 1)),
    };
  }

  function flipByte(path: string, at: number): void {
    const bytes = readFileSync(path);
    bytes[at] = (bytes[at] as number) ^ 0x01;
    writeFileSync(path, bytes);
  }

  it.each([
    [0, /\.csv: SHA-256/],
    [1, /-items\.csv: SHA-256/],
    [2, /\.jsonl/],
    [3, /manifest/],
  ])('an edited byte in file %i fails verification', async (index, expected) => {
    const copy = copyExport(`edited-${index}`);
    const path = index === 3 ? copy.manifest : copy.file(index);
    const size = readFileSync(path).length;
    flipByte(path, Math.floor(size / 2));
    const result = await verifyExport(copy.manifest, { trustStore: trust });
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(expected);
  });

  it('a row re-hashed and re-signed by someone else is still caught: key pin, chain and the phone signature', async () => {
    const copy = copyExport('forged');
    const lines = readFileSync(copy.file(2), 'utf8').trimEnd().split('\n');
    const victim = parseJsonRecord(lines[20] as string);
    const forged = { ...victim, amount: 1 };
    lines[20] = JSON.stringify(jsonRecord({ ...forged, hash: rowHash(forged) }));
    writeFileSync(copy.file(2), `${lines.join('\n')}\n`);
    const manifest = JSON.parse(readFileSync(copy.manifest, 'utf8')) as Manifest;
    const { signature: _drop, ...body } = manifest;
    mkdirSync(join(dir, 'forger'));
    const forger = loadOrCreateTerminalKey(join(dir, 'forger'));
    const data = readFileSync(copy.file(2));
    const { createHash } = await import('node:crypto');
    body.files.jsonl = { ...body.files.jsonl, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    body.terminalKey = { keyId: forger.keyId, jwk: forger.publicJwk };
    writeFileSync(copy.manifest, manifestFileText(signManifest(body, forger)));
    const result = await verifyExport(copy.manifest, { trustStore: trust, expectTerminalKeyId: key.keyId });
    const text = result.problems.join('\n');
    expect(result.ok).toBe(false);
    expect(text).toMatch(/signed by terminal key .* expected/);
    expect(text).toMatch(new RegExp(`row 21 .*authorization signs a different amount`));
    expect(text).toMatch(/row 22 .*chain link broken/);
    expect(text).toMatch(/manifest totals differ/);
  });

  it('a CSV that says something else than the records is caught even when the terminal key signed it', async () => {
    const copy = copyExport('csv-resigned');
    const text = readFileSync(copy.file(0), 'utf8').replace(',15.00,,CNY,', ',1500.00,,CNY,');
    writeFileSync(copy.file(0), text);
    const manifest = JSON.parse(readFileSync(copy.manifest, 'utf8')) as Manifest;
    const { signature: _drop, ...body } = manifest;
    const { createHash } = await import('node:crypto');
    body.files.csv = { ...body.files.csv, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
    writeFileSync(copy.manifest, manifestFileText(signManifest(body, key)));
    const result = await verifyExport(copy.manifest, { trustStore: trust, expectTerminalKeyId: key.keyId });
    expect(result.problems).toEqual([`${TERMINAL}-${DATE}.csv: does not say what the JSONL records say (re-created CSV differs)`]);
  });

  /** A copy whose void of `other` is made a void of `sale` (rows and manifest), re-signed with the terminal key. */
  function voidRedirected(name: string, other: string, sale: string): string {
    const copy = copyExport(name);
    reSignEditedRows(
      copy.manifest,
      key,
      (row) => (row.kind === 'void' && row.originalTransactionId === other ? { ...row, originalTransactionId: sale } : row),
      (body) => {
        body.voids = body.voids.map(([voided, voiding]) => [voided === other ? sale : voided, voiding]);
      },
    );
    return copy.manifest;
  }

  it('a sale voided twice, or a void of a declined sale, is refused even re-chained and re-signed by the terminal key', async () => {
    const twice = approvedIds[5] as string;
    const other = approvedIds[0] as string;
    const manifest = voidRedirected('voided-twice', other, twice);
    const result = await verifyExport(manifest, { trustStore: trust, expectTerminalKeyId: key.keyId });
    expect(result.problems.join('\n')).toMatch(new RegExp(`: ${twice} voided twice`));

    const declined = readFileSync(exported.files[2] as string, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => parseJsonRecord(line))
      .find((row) => row.kind === 'sale' && row.status === 'declined')?.transactionId as string;
    const ofDeclined = voidRedirected('void-of-declined', other, declined);
    const refused = await verifyExport(ofDeclined, { trustStore: trust, expectTerminalKeyId: key.keyId });
    expect(refused.problems.join('\n')).toMatch(new RegExp(`voids ${declined}, which is not an approved sale of this day`));
  });

  it('npm run cli -- verify-export: exit 0 with a summary when it verifies, 1 with problem lines when not', () => {
    const trustFile = join(dir, 'trust.json');
    writeFileSync(trustFile, JSON.stringify(env.trustEntries));
    const ok = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src-main/cli/index.ts',
        'verify-export',
        exported.manifestPath,
        '--trust',
        trustFile,
        '--terminal-key',
        key.keyId,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(ok.stdout).toMatch(
      /^OK: 2011 rows, 2010 transactions, 2003 approvals verified against \d+ licenses, 0 problems; terminal key [0-9A-F ]+ \(pinned\)\n$/,
    );
    expect(ok.status).toBe(0);
    const copy = copyExport('cli-edited');
    flipByte(copy.file(0), 200);
    const bad = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/index.ts', 'verify-export', copy.manifest, '--trust', trustFile],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(1);
    expect(bad.stdout.split('\n')[0]).toMatch(/\.csv: SHA-256 [0-9a-f]{64} != manifest [0-9a-f]{64}/);
    expect(bad.stdout).toMatch(/FAILED: .* 1 problem; .*not pinned/);
    // --json: the same verdict for a settlement system, each problem with its code.
    const json = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/index.ts', 'verify-export', copy.manifest, '--trust', trustFile, '--json'],
      { encoding: 'utf8' },
    );
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      problemCount: number;
      problems: { code: string; detail: string }[];
      terminalKey: { pinned: boolean };
      transactions: number;
    };
    expect(report).toMatchObject({ ok: false, problemCount: 1, transactions: 2010, terminalKey: { pinned: false } });
    expect(report.problems).toEqual([{ code: 'file_changed', detail: bad.stdout.split('\n')[0] }]);
  }, 180_000);
});
