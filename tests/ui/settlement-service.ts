// A real settlement service for the terminal's "Send to settlement" spec: the HTTP API on a free
// loopback port over an embedded database, and what a settlement desk and an authority do next
// to it (enrol the terminal's key, hold its authority keys, sign a newer revocation list with
// the demo authority the terminal trusts). Loaded through tsx, like the harness.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createAuthority, publishRevocationList } from '../../src-main/authority/authority';
import { loadOrCreateTerminalKey } from '../../src-main/export/terminal-key';
import { DEMO_AUTHORITY_ID, DEMO_REVOKED_SERIAL, deriveSecretKey } from '../../src-main/wallet/demo';
import { openSettlementDatabase } from '../../src-settlement/db/open';
import { createSettlementServer } from '../../src-settlement/http/server';
import { importRevocationList } from '../../src-settlement/revocations/import-list';
import { addAuthorityKey } from '../../src-settlement/store/authorities';
import { enrolTerminal } from '../../src-settlement/store/terminals';

const TrustFileSchema = z.object({ keys: z.array(z.object({ entry: z.unknown() })) });
const DemoFileSchema = z.object({ seed: z.string() });
const YEAR = 365 * 24 * 3_600_000;

export interface SettlementService {
  url: string;
  /** The desk enrols the terminal whose data folder this is, and holds its authority keys. */
  enrol(terminalDataDir: string, terminalId: string, merchantId: string): Promise<void>;
  /** The demo authority signs list `sequence` (revoking `serial` too); the desk imports it. */
  publishDemoList(terminalDataDir: string, sequence: number, serial: string): Promise<void>;
  daysHeld(): Promise<number>;
  close(): Promise<void>;
}

export async function startSettlementService(): Promise<SettlementService> {
  const dir = mkdtempSync(join(tmpdir(), 'settlement-ui-'));
  const db = await openSettlementDatabase('memory://');
  const app = await createSettlementServer({ db, operatorToken: 'ui-operator-token-0123456789abcdef', uploadDir: dir, workers: 0 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  let closed = false;
  return {
    url,
    async enrol(terminalDataDir, terminalId, merchantId) {
      const trust = TrustFileSchema.parse(JSON.parse(readFileSync(join(terminalDataDir, 'trust-store.json'), 'utf8')));
      for (const key of trust.keys) await addAuthorityKey(db, key.entry);
      await enrolTerminal(db, { keyId: loadOrCreateTerminalKey(terminalDataDir).keyId, terminalId, merchantId });
    },
    async publishDemoList(terminalDataDir, sequence, serial) {
      const { seed } = DemoFileSchema.parse(JSON.parse(readFileSync(join(terminalDataDir, 'demo', 'demo.json'), 'utf8')));
      const now = Date.now();
      const authority = createAuthority({
        kid: 'demo-main',
        authorityId: DEMO_AUTHORITY_ID,
        secretKey: deriveSecretKey(seed, 'authority/main'),
        notBefore: now - YEAR,
        notAfter: now + YEAR,
      });
      const list = publishRevocationList(authority, {
        sequence,
        issuedAt: now,
        licenseSerials: [DEMO_REVOKED_SERIAL, serial],
        authorityKids: ['demo-revoked'],
      });
      await importRevocationList(db, list);
    },
    async daysHeld() {
      return Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM days'))[0]?.n);
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
