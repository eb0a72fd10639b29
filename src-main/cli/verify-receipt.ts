// `npm run cli -- verify-receipt <code> --terminal-key KEYID (--export MANIFEST | --public-key PEM)`:
// checks a receipt's signed code (its QR text) against the pinned terminal key and, given an
// export of the day, that the export holds the very row the receipt was printed from.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { checkManifestSignature, type ReadManifest } from '../export/manifest';
import { parseManifestText } from '../export/manifest-schema';
import { compareWithRow, parseReceiptCode, ReceiptCodeError, verifyReceiptCode } from '../export/receipt-code';
import { parseJsonRecord, RecordFormatError } from '../export/records';
import { publicKeyId } from '../export/terminal-key';
import type { LedgerRow } from '../ledger/row';

export const help = `usage: npm run cli -- verify-receipt <code> --terminal-key KEYID (--export MANIFEST | --public-key PEM)

Checks the signed code printed as a QR code on a receipt (its text, as a QR reader gives it):
the signature with the terminal key settlement pinned, and with --export that the day's export
holds the row the receipt names (transaction, amount, currency, time, status, row hash).

  --terminal-key KEYID  the terminal key id (hex) settlement registered (npm run cli -- ledger key)
  --export MANIFEST     the export manifest of the receipt's business day; its signature and its
                        JSONL's SHA-256 are checked, and its key must be the pinned one
  --public-key PEM      the terminal's public key as a PEM file, when no export is at hand

Exit code 0 when the receipt verifies (and the export holds its row), 1 when it does not, 2 for
wrong usage or unreadable files.`;

/**
 * The export's row at `seq`, each line parsed as the export's own reader does; the file must be
 * the one the manifest signed, and a malformed line is named (after the hash, which says more).
 */
async function rowInExport(manifestPath: string, manifest: ReadManifest, seq: number): Promise<LedgerRow | undefined> {
  const path = join(dirname(manifestPath), manifest.files.jsonl.name);
  const hash = createHash('sha256');
  let found: LedgerRow | undefined;
  let malformed: string | undefined;
  const lines = createInterface({ input: createReadStream(path).on('data', (chunk) => hash.update(chunk)), crlfDelay: Infinity });
  for await (const line of lines) {
    if (found || malformed !== undefined || line === '') continue;
    try {
      const row = parseJsonRecord(line);
      if (row.seq === seq) found = row;
    } catch (error) {
      if (!(error instanceof RecordFormatError)) throw error;
      malformed = error.message;
    }
  }
  if (hash.digest('hex') !== manifest.files.jsonl.sha256) throw new Error(`${path} is not the file the manifest signed (SHA-256 differs)`);
  if (malformed !== undefined) throw new Error(`${path} holds a malformed record: ${malformed}`);
  return found;
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'terminal-key': { type: 'string' }, export: { type: 'string' }, 'public-key': { type: 'string' } },
    });
  } catch (error) {
    console.error(`verify-receipt: ${(error as Error).message}\n\n${help}`);
    return 2;
  }
  const [text, ...extra] = parsed.positionals;
  const keyId = parsed.values['terminal-key']?.toLowerCase();
  if (!text || extra.length > 0 || !keyId || (parsed.values.export === undefined) === (parsed.values['public-key'] === undefined)) {
    console.error(`verify-receipt: give one code, --terminal-key, and --export or --public-key\n\n${help}`);
    return 2;
  }
  let code;
  try {
    code = parseReceiptCode(text);
  } catch (error) {
    if (!(error instanceof ReceiptCodeError)) throw error;
    console.log(`FAILED: ${error.message}`);
    return 1;
  }
  const problems: string[] = [];
  let publicKey: KeyObject;
  let manifest: ReadManifest | undefined;
  try {
    if (parsed.values.export !== undefined) {
      const read = parseManifestText(readFileSync(parsed.values.export, 'utf8'));
      if (!read.ok) throw new Error(`${parsed.values.export}: ${read.problem}`);
      manifest = read.manifest;
      const signature = checkManifestSignature(manifest);
      if (!signature.ok) throw new Error(`${parsed.values.export}: ${signature.problem}`);
      publicKey = signature.publicKey;
    } else {
      publicKey = createPublicKey(readFileSync(parsed.values['public-key'] as string, 'utf8'));
    }
  } catch (error) {
    console.error(`verify-receipt: ${(error as Error).message}`);
    return 2;
  }
  if (publicKeyId(publicKey) !== keyId) problems.push(`the key given is ${publicKeyId(publicKey)}, not the pinned ${keyId}`);
  else problems.push(...verifyReceiptCode(code, keyId, publicKey));
  if (manifest && problems.length === 0) {
    const { firstSeq, lastSeq } = manifest.chain;
    if (firstSeq === null || lastSeq === null || code.seq < firstSeq || code.seq > lastSeq) {
      problems.push(`row ${code.seq} is not in this export of ${manifest.businessDate} (rows ${String(firstSeq)}-${String(lastSeq)})`);
    } else {
      let row: LedgerRow | undefined;
      try {
        row = await rowInExport(parsed.values.export as string, manifest, code.seq);
      } catch (error) {
        console.error(`verify-receipt: ${(error as Error).message}`);
        return 2;
      }
      if (!row) problems.push(`row ${code.seq} is missing from the export's records`);
      else problems.push(...compareWithRow(code, row));
    }
  }
  for (const problem of problems) console.log(problem);
  const what = `row ${code.seq}, transaction ${code.transactionId}, ${code.status} ${code.amount} ${code.currency}`;
  console.log(
    problems.length === 0 ? `OK: ${what}${manifest ? `, held in the export of ${manifest.businessDate}` : ''}` : `FAILED: ${what}`,
  );
  return problems.length === 0 ? 0 : 1;
}
