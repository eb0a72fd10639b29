// What the upload tests need around an export folder: its four files by part (as the manifest
// names them), and a multipart/form-data body built by hand, so a test can send the parts in
// any order, leave some out, or change one.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { UploadPart } from '../../../src-main/export/settlement-wire';

const ManifestFilesSchema = z.object({
  files: z.object({ csv: z.object({ name: z.string() }), items: z.object({ name: z.string() }), jsonl: z.object({ name: z.string() }) }),
});

export function dayFiles(folder: string): Record<UploadPart, string> {
  const manifestName = readdirSync(folder).find((name) => name.endsWith('.manifest.json'));
  if (!manifestName) throw new Error(`no manifest in ${folder}`);
  const manifest = join(folder, manifestName);
  const { files } = ManifestFilesSchema.parse(JSON.parse(readFileSync(manifest, 'utf8')));
  return { manifest, csv: join(folder, files.csv.name), items: join(folder, files.items.name), jsonl: join(folder, files.jsonl.name) };
}

/** Parts as [field, file path or bytes], in the order given. */
export function multipartBody(parts: [string, string | Buffer][]): { body: Buffer; type: string } {
  const boundary = `----settlement-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [field, content] of parts) {
    const name = typeof content === 'string' ? basename(content) : `${field}.bin`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
    );
    chunks.push(typeof content === 'string' ? readFileSync(content) : content);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}
