// Exports made before refunds existed (format nfc-cashier-export/1, a fixture written by that
// version of the terminal) still verify exactly as before, and settlement still reads them.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT_1 } from '../../../src-main/export/manifest';
import { loadTrustStore } from '../../../src-main/export/trust-file';
import { verifyExport } from '../../../src-main/export/verify-export';
import { readExportFolder } from '../../../src-settlement/ingest/export-folder';
import { tempDir } from '../../unit/ledger/fixtures';

const FIXTURE = join(__dirname, '../../fixtures/export-v1');
const NAME = 'demo-terminal-01-2026-12-03';
const KEY_ID = '3d0e33f450e10a17fa0c29d3f22b4b47984deab3ccd9e6e7474091d056433944';

describe('format-1 exports (made before refunds)', () => {
  const { dir, cleanup } = tempDir('export-format1-');
  afterAll(cleanup);
  const trustStore = loadTrustStore(join(FIXTURE, 'trust-store.json')).store;

  function copy(name: string): string {
    const target = join(dir, name);
    cpSync(FIXTURE, target, { recursive: true });
    return target;
  }

  it('verifies: counts and totals without refund members, the CSV without refund columns', async () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURE, `${NAME}.manifest.json`), 'utf8')) as Record<string, unknown>;
    expect(manifest.format).toBe(MANIFEST_FORMAT_1);
    expect(manifest.counts).not.toHaveProperty('refunded');
    const result = await verifyExport(join(FIXTURE, `${NAME}.manifest.json`), { trustStore, expectTerminalKeyId: KEY_ID });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, rows: 4, transactions: 4, approvalsVerified: 2 });
    expect(readFileSync(join(FIXTURE, `${NAME}.csv`), 'utf8').split('\n')[0]).not.toContain('refunded');
  });

  it('an edited format-1 CSV still fails, as it always did', async () => {
    const folder = copy('edited');
    const csv = join(folder, `${NAME}.csv`);
    writeFileSync(csv, readFileSync(csv, 'utf8').replace(',12.34,CNY,', ',21.34,CNY,'));
    const result = await verifyExport(join(folder, `${NAME}.manifest.json`), { trustStore, expectTerminalKeyId: KEY_ID });
    expect(result.issues.map((i) => i.code)).toEqual(['file_changed']);
  });

  it('an unknown format is refused by name', async () => {
    const folder = copy('format-3');
    const path = join(folder, `${NAME}.manifest.json`);
    writeFileSync(path, readFileSync(path, 'utf8').replace(MANIFEST_FORMAT_1, 'nfc-cashier-export/3'));
    const result = await verifyExport(path, { trustStore });
    expect(result.problems).toEqual(['manifest: format is not nfc-cashier-export/1 or nfc-cashier-export/2']);
  });

  it('the settlement service reads its manifest', async () => {
    const folder = await readExportFolder(FIXTURE);
    expect(folder.manifest).toMatchObject({
      format: MANIFEST_FORMAT_1,
      terminalId: 'demo-terminal-01',
      businessDate: '2026-12-03',
      counts: { rows: 4 },
    });
  });
});
