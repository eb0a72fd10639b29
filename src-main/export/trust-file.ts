// Reads the authority keys verify-export checks licenses against, from any of: the terminal's
// own trust-store.json ({version: 1, keys: [{entry, ...}]}), an array of trust-store entries, or
// one entry as `authority export-trust` writes it.
import { readFileSync } from 'node:fs';
import { createTrustStore, parseTrustEntry, type TrustedAuthority, type TrustStore } from '../verification/trust-store';

export function parseTrustFile(json: unknown): TrustedAuthority[] {
  let entries: unknown[];
  if (Array.isArray(json)) entries = json;
  else if (typeof json === 'object' && json !== null && Array.isArray((json as { keys?: unknown }).keys)) {
    entries = (json as { keys: unknown[] }).keys.map((k) => (typeof k === 'object' && k !== null && 'entry' in k ? k.entry : k));
  } else entries = [json];
  // Retirement stops new payments; approvals recorded while the key was trusted stay verifiable.
  return entries.map((entry) => parseTrustEntry(entry));
}

export function loadTrustStore(path: string): { store: TrustStore; authorities: TrustedAuthority[] } {
  const authorities = parseTrustFile(JSON.parse(readFileSync(path, 'utf8')) as unknown);
  return { store: createTrustStore(authorities), authorities };
}
