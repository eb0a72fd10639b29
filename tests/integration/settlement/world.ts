// The demo world (three terminals, three days, every finding kind) built once per test file into
// a temporary folder, and a database loaded with it.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../src-settlement/db/port';
import { buildDemoWorld, type DemoWorld } from '../../../src-settlement/demo/demo-world';
import { ingestDay, type IngestResult } from '../../../src-settlement/ingest/ingest-day';
import { addAuthorityKey } from '../../../src-settlement/store/authorities';
import { enrolTerminal } from '../../../src-settlement/store/terminals';

export interface BuiltWorld {
  dir: string;
  world: DemoWorld;
  /** A copy of one day's export folder that a test may change. */
  copyOf(index: number): string;
  remove(): void;
}

export async function buildWorld(): Promise<BuiltWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'settlement-world-'));
  const world = await buildDemoWorld(dir);
  let copies = 0;
  return {
    dir,
    world,
    copyOf(index) {
      copies += 1;
      const to = join(dir, 'copies', String(copies));
      cpSync(world.days[index]?.folder ?? '', to, { recursive: true });
      return to;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function enrolWorld(db: Database, world: DemoWorld): Promise<void> {
  for (const entry of world.trustEntries) await addAuthorityKey(db, entry);
  for (const terminal of world.terminals) await enrolTerminal(db, terminal);
}

export async function ingestWorld(db: Database, world: DemoWorld): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const day of world.days) results.push(await ingestDay(db, { folder: day.folder }, { workers: 0 }));
  return results;
}
