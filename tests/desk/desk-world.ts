// The settlement service the desk spec looks at: the demo world's days (real terminals, real
// signed exports) ingested into an embedded database, the desk page built, and the service on a
// free loopback port. Loaded through tsx by the spec, like the cashier harness.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDesk } from '../../scripts/build-desk';
import { openSettlementDatabase } from '../../src-settlement/db/open';
import { buildDemoWorld } from '../../src-settlement/demo/demo-world';
import { createSettlementServer } from '../../src-settlement/http/server';
import { ingestDay } from '../../src-settlement/ingest/ingest-day';
import { importRevocationList } from '../../src-settlement/revocations/import-list';
import { addAuthorityKey } from '../../src-settlement/store/authorities';
import { enrolTerminal } from '../../src-settlement/store/terminals';

export interface DeskWorld {
  url: string;
  token: string;
  terminals: { terminalId: string; merchantId: string }[];
  close(): Promise<void>;
}

export async function startDeskWorld(): Promise<DeskWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'settlement-desk-'));
  const deskDir = await buildDesk();
  const world = await buildDemoWorld(join(dir, 'world'));
  const db = await openSettlementDatabase('memory://');
  for (const entry of world.trustEntries) await addAuthorityKey(db, entry);
  await importRevocationList(db, world.revocationFile);
  for (const t of world.terminals) await enrolTerminal(db, t);
  for (const day of world.days) await ingestDay(db, { folder: day.folder }, { workers: 1 });
  const token = 'desk-operator-token-0123456789abcdef';
  const app = await createSettlementServer({ db, operatorToken: token, deskDir, uploadDir: dir });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    token,
    terminals: world.terminals,
    async close() {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
