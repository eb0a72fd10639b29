// A forged export the way an attacker holding the terminal's key would make it: rows of the
// JSONL beside `manifestPath` edited, the chain re-linked and re-hashed, the manifest's JSONL
// entry and last hash brought along, and the manifest signed again. Only what the rows say is
// wrong, so what catches it is verify-export's books, not a hash.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestFileText, signManifest, type Manifest } from '../../src-main/export/manifest';
import { jsonRecord, parseJsonRecord } from '../../src-main/export/records';
import type { TerminalKey } from '../../src-main/export/terminal-key';
import { rowHash } from '../../src-main/ledger/canonical';
import type { LedgerRow } from '../../src-main/ledger/row';

export function reSignEditedRows(
  manifestPath: string,
  key: TerminalKey,
  edit: (row: LedgerRow) => LedgerRow,
  editBody: (body: Omit<Manifest, 'signature'>) => void = () => undefined,
): void {
  const { signature: _drop, ...body } = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const jsonlPath = join(dirname(manifestPath), body.files.jsonl.name);
  let previousHash: Uint8Array | null = null;
  const lines = readFileSync(jsonlPath, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const row = parseJsonRecord(line);
      const edited = { ...edit(row), prevHash: previousHash ?? row.prevHash };
      const sealed = { ...edited, hash: rowHash(edited) };
      previousHash = sealed.hash;
      return JSON.stringify(jsonRecord(sealed));
    });
  const data = `${lines.join('\n')}\n`;
  writeFileSync(jsonlPath, data);
  body.files.jsonl = { ...body.files.jsonl, bytes: Buffer.byteLength(data), sha256: createHash('sha256').update(data).digest('hex') };
  body.chain = { ...body.chain, lastHash: previousHash === null ? null : Buffer.from(previousHash).toString('hex') };
  editBody(body);
  writeFileSync(manifestPath, manifestFileText(signManifest(body, key)));
}
