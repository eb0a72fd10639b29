// `npm run cli -- trust <import|revocations|list>`: the manager's trust-store screen for a
// terminal set up without the UI. An entry is trusted only after the manager states the
// fingerprint the authority published elsewhere and it equals the entry's key (as on screen).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openTrustStoreAdmin } from '../app/trust-store-admin';
import { runSubcommand, UsageError } from './authority';
import { dataDirFromEnv } from './ledger';

export const help = `usage: npm run cli -- trust <subcommand> [--data-dir DIR] [options]

The terminal's trust store of credit-authority keys and its revocation lists.
The data folder is --data-dir, else $CASHIER_DATA_DIR, else ~/.local/share/nfc-cashier.

  import ENTRY.json --fingerprint "XXXX XXXX ..."
                Trust the key of a trust-store entry (authority export-trust). The
                fingerprint is the one the authority published through another channel;
                the key is trusted only when it is the entry's (spaces and case ignored).
                Without --fingerprint, prints what to compare and changes nothing (exit 2).
  revocations LIST.json
                Import a signed revocation list; it must verify with a trusted key and
                carry a higher number than the list held from the same signer.
  list          Print the keys (kid, authority, fingerprint, status) and the lists held.`;

const normalized = (fingerprint: string): string => fingerprint.replace(/\s+/g, '').toUpperCase();

function dataDir(values: { 'data-dir'?: string | undefined }): string {
  return values['data-dir'] ?? dataDirFromEnv();
}

async function importEntry(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, fingerprint: { type: 'string' } },
  });
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) throw new UsageError('give exactly one trust-store entry file');
  const admin = openTrustStoreAdmin({ dataDir: dataDir(values) });
  const preview = admin.previewImport(await readFile(path, 'utf8'));
  const described = `key ${preview.kid} of authority ${preview.authorityId} (${preview.algorithm}), fingerprint ${preview.fingerprint}`;
  if (values.fingerprint === undefined) {
    console.error(
      `${described}\ncompare it with the fingerprint the authority published, then run again with --fingerprint "${preview.fingerprint}"`,
    );
    return 2;
  }
  if (normalized(values.fingerprint) !== normalized(preview.fingerprint)) {
    console.error(
      `refused: the entry's key has fingerprint ${preview.fingerprint}, not the ${values.fingerprint} you were given; do not trust this file`,
    );
    return 1;
  }
  if (preview.alreadyPresent) {
    console.log(`already trusted: ${described}`);
    return 0;
  }
  const key = admin.confirmImport(preview.token);
  console.log(`trusted: ${described}, valid ${new Date(key.notBefore).toISOString()} to ${new Date(key.notAfter).toISOString()}`);
  return 0;
}

async function importRevocations(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) throw new UsageError('give exactly one revocation list file');
  const admin = openTrustStoreAdmin({ dataDir: dataDir(values) });
  const summary = admin.importRevocations(await readFile(path, 'utf8'));
  console.log(
    `imported list #${summary.sequence} of ${summary.issuerKid}: ${summary.licenseSerials} license serial(s), ${summary.authorityKids} authority key(s) revoked`,
  );
  return 0;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const admin = openTrustStoreAdmin({ dataDir: dataDir(values) });
  for (const key of admin.list()) console.log(`${key.kid}\t${key.authorityId}\t${key.fingerprint}\t${key.status}`);
  for (const held of admin.revocationSummaries()) console.log(`revocations ${held.issuerKid} #${held.sequence}`);
  return Promise.resolve(0);
}

export function run(args: string[]): Promise<number> {
  return runSubcommand('trust', { import: importEntry, revocations: importRevocations, list }, args);
}
