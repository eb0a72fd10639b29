// The manifest boundary: a manifest file's text becomes a typed manifest or one coded line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest, parseManifestText } from '../../../src-main/export/manifest-schema';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'export-v1');
const name = readdirSync(FIXTURE).find((file) => file.endsWith('.manifest.json')) ?? '';
const text = readFileSync(join(FIXTURE, name), 'utf8');
const raw = (): Record<string, unknown> & { files: { csv: { name: string } } } => JSON.parse(text);

describe('parseManifestText', () => {
  it('reads a format 1 manifest exactly as written (nothing added, nothing defaulted)', () => {
    const parsed = parseManifestText(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.manifest.format).toBe('nfc-cashier-export/1');
    expect(parsed.manifest).toEqual(JSON.parse(text));
    expect(parsed.raw).toEqual(JSON.parse(text));
  });

  it('says what is wrong: not JSON, an unknown format, a missing member, an extra member, a path for a file', () => {
    expect(parseManifestText('{')).toMatchObject({ ok: false, problem: expect.stringMatching(/^manifest is not JSON: /) });
    expect(parseManifest({ ...raw(), format: 'nfc-cashier-export/9' })).toEqual({
      ok: false,
      problem: 'manifest: format is not nfc-cashier-export/1 or nfc-cashier-export/2',
    });
    expect(parseManifest([])).toMatchObject({ ok: false, problem: expect.stringMatching(/^manifest: format is not/) });
    const { chain: _chain, ...withoutChain } = raw();
    expect(parseManifest(withoutChain)).toMatchObject({ ok: false, problem: expect.stringMatching(/^manifest: chain: /) });
    expect(parseManifest({ ...raw(), note: 'added later' })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^manifest: .*note/),
    });
    const traversal = raw();
    traversal.files.csv.name = '../../etc/passwd';
    expect(parseManifest(traversal)).toEqual({ ok: false, problem: 'manifest: files.csv.name: must be a file name, not a path' });
  });

  it('a format 1 manifest cannot carry format 2 members', () => {
    expect(parseManifest({ ...raw(), refunds: [] })).toMatchObject({ ok: false, problem: expect.stringMatching(/refunds/) });
  });
});
