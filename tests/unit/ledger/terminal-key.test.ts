import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signManifest, checkManifestSignature, type ManifestBody } from '../../../src-main/export/manifest';
import { canonicalJson } from '../../../src-main/export/jcs';
import { loadOrCreateTerminalKey, TerminalKeyError } from '../../../src-main/export/terminal-key';
import { tempDir } from './fixtures';

describe('terminal key', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('terminal-key-')));
  afterEach(() => cleanup());

  it('is created once with mode 0600 and then reused', () => {
    const key = loadOrCreateTerminalKey(dir);
    expect(statSync(key.path).mode & 0o777).toBe(0o600);
    expect(key.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(key.fingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(loadOrCreateTerminalKey(dir).keyId).toBe(key.keyId);
  });

  it('refuses a key file that holds no key rather than replacing it', () => {
    writeFileSync(join(dir, 'terminal-key.pem'), 'not a key', { mode: 0o600 });
    expect(() => loadOrCreateTerminalKey(dir)).toThrow(TerminalKeyError);
  });

  it('signs manifests over their RFC 8785 form; any change breaks the signature', () => {
    const key = loadOrCreateTerminalKey(dir);
    const body = {
      format: 'nfc-cashier-export/1',
      businessDate: '2026-11-23',
      zNumber: 1,
      terminalKey: { keyId: key.keyId, jwk: key.publicJwk },
    } as unknown as ManifestBody;
    const manifest = signManifest(body, key);
    expect(checkManifestSignature(manifest)).toMatchObject({ ok: true, keyId: key.keyId });
    expect(checkManifestSignature({ ...manifest, zNumber: 2 })).toMatchObject({ ok: false });
    // Key order in the file does not matter, the canonical form does.
    const reordered = Object.fromEntries(Object.entries(manifest).reverse()) as typeof manifest;
    expect(checkManifestSignature(reordered).ok).toBe(true);
    expect(canonicalJson({ b: [1, 'x', null], a: { d: true, c: -0.5 } })).toBe('{"a":{"c":-0.5,"d":true},"b":[1,"x",null]}');
  });
});
