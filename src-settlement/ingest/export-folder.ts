// The boundary where an export folder (the four files a USB stick or an upload brings) becomes a
// typed value: the manifest's text, its SHA-256 and the fields the service routes on. The full
// check of every byte is verify-export's (verify/verify-day.ts).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadManifest } from '../../src-main/export/manifest';
import { parseManifestText } from '../../src-main/export/manifest-schema';
import { SettlementError } from '../errors';

/** A manifest is a few kilobytes plus 70 bytes per void; anything near this is not one. */
export const MAX_MANIFEST_BYTES = 8 << 20;

export type ManifestFacts = ReadManifest;

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
    throw new SettlementError(
      'BAD_EXPORT',
      `${folder} holds ${manifests.length} manifests (*.manifest.json); an export folder holds exactly one`,
    );
  }
  const manifestPath = join(folder, manifests[0] as string);
  const size = (await stat(manifestPath)).size;
  if (size > MAX_MANIFEST_BYTES) throw new SettlementError('BAD_EXPORT', `manifest is ${size} bytes, more than ${MAX_MANIFEST_BYTES}`);
  const bytes = await readFile(manifestPath);
  const manifestText = bytes.toString('utf8');
  const parsed = parseManifestText(manifestText);
  if (!parsed.ok) throw new SettlementError('BAD_EXPORT', parsed.problem);
  const jsonlName = parsed.manifest.files.jsonl.name;
  if (!names.includes(jsonlName)) throw new SettlementError('BAD_EXPORT', `the manifest names ${jsonlName}, which is not in the folder`);
  return {
    folder,
    manifestPath,
    manifestText,
    manifestSha256: createHash('sha256').update(bytes).digest('hex'),
    manifest: parsed.manifest,
    jsonlPath: join(folder, jsonlName),
  };
}
