// The boundary where an export folder (the four files a USB stick or an upload brings) becomes a
// typed value: the manifest's text, its SHA-256 and the fields the service routes on. The full
// check of every byte is verify-export's (verify/verify-day.ts).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MANIFEST_FORMATS } from '../../src-main/export/manifest';
import { SettlementError } from '../errors';

/** A manifest is a few kilobytes plus 70 bytes per void; anything near this is not one. */
export const MAX_MANIFEST_BYTES = 8 << 20;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const fileEntry = z.object({
  name: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: hex64,
});

const manifestSchema = z.object({
  format: z.enum(MANIFEST_FORMATS),
  terminalId: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
  ledgerId: z.string().min(1).max(64),
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  zNumber: z.number().int().positive().nullable(),
  counts: z.object({ rows: z.number().int().nonnegative() }),
  chain: z.object({
    firstSeq: z.number().int().positive().nullable(),
    lastSeq: z.number().int().positive().nullable(),
    firstPrevHash: hex64.nullable(),
    lastHash: hex64.nullable(),
  }),
  files: z.object({ csv: fileEntry, items: fileEntry, jsonl: fileEntry }),
  terminalKey: z.object({ keyId: hex64 }),
});

export type ManifestFacts = z.infer<typeof manifestSchema>;

export interface ExportFolder {
  folder: string;
  manifestPath: string;
  manifestText: string;
  manifestSha256: string;
  manifest: ManifestFacts;
  jsonlPath: string;
}

export async function readExportFolder(folder: string): Promise<ExportFolder> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new SettlementError('BAD_EXPORT', `cannot read the export folder ${folder}: ${(error as Error).message}`);
  }
  const manifests = names.filter((name) => name.endsWith('.manifest.json'));
  if (manifests.length !== 1) {
    throw new SettlementError('BAD_EXPORT', `${folder} holds ${manifests.length} manifests (*.manifest.json); an export folder holds exactly one`);
  }
  const manifestPath = join(folder, manifests[0] as string);
  const size = (await stat(manifestPath)).size;
  if (size > MAX_MANIFEST_BYTES) throw new SettlementError('BAD_EXPORT', `manifest is ${size} bytes, more than ${MAX_MANIFEST_BYTES}`);
  const bytes = await readFile(manifestPath);
  const manifestText = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch (error) {
    throw new SettlementError('BAD_EXPORT', `manifest is not JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new SettlementError('BAD_EXPORT', `manifest: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  const jsonlName = parsed.data.files.jsonl.name;
  if (!names.includes(jsonlName)) throw new SettlementError('BAD_EXPORT', `the manifest names ${jsonlName}, which is not in the folder`);
  return {
    folder,
    manifestPath,
    manifestText,
    manifestSha256: createHash('sha256').update(bytes).digest('hex'),
    manifest: parsed.data,
    jsonlPath: join(folder, jsonlName),
  };
}
