// Authority key files: the private key file is created with mode 0600, never printed, and
// refused on load when others could read or replace it; the public part lives in the
// trust-store entry.
import { access, chmod, mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../domain/bytes';
import { isValidKid } from '../protocol/cose';
import { isValidSecretKey } from '../protocol/signature';
import { isValidAuthorityId } from '../verification/license-identity';
import { authorityFileJson } from '../verification/trust-store';
import { createAuthority, type AuthorityKey } from './authority';
import { syncDirectory } from '../fs/atomic-file';
import { KeyFileError, readSecretFileSync } from '../fs/secret-file';

export const AUTHORITY_KEY_TYPE = 'nfcpay-authority-key';

const keyFileSchema = z
  .object({
    type: z.literal(AUTHORITY_KEY_TYPE),
    version: z.literal(1),
    kid: z.string().refine(isValidKid),
    authority: z.string().refine(isValidAuthorityId).optional(),
    alg: z.enum(['ES256', 'EdDSA']),
    secretKey: z.string(),
    notBefore: z.string(),
    notAfter: z.string(),
    name: z.string().optional(),
  })
  .strict();

/** Writes `text` to `path` atomically with mode 0600 (temp file, fsync, rename). */
export async function writeSecretFile(path: string, text: string, options: { overwrite?: boolean } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (!options.overwrite && (await exists(path))) throw new Error(`${path} already exists; refusing to overwrite a key file`);
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(temp, 0o600);
  await rename(temp, path);
  syncDirectory(dirname(path));
}

/**
 * JSON.parse of a file holding a private key. Its own error messages quote the text around
 * the fault, which could be part of the key, so only the position is reported.
 */
export function parseSecretJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    throw new Error(`${path} is not valid JSON${at === undefined ? '' : ` (at position ${at})`}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function saveAuthorityKey(path: string, authority: AuthorityKey): Promise<void> {
  const json = authorityFileJson(AUTHORITY_KEY_TYPE, authority, { secretKey: toBase64Url(authority.secretKey) }, {});
  await writeSecretFile(path, `${JSON.stringify(json, null, 2)}\n`);
}

export async function loadAuthorityKey(path: string): Promise<AuthorityKey> {
  let text: string;
  try {
    text = readSecretFileSync(path, 'the authority key');
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    throw new Error(`cannot read authority key ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = keyFileSchema.safeParse(parseSecretJson(text, path));
  if (!result.success) throw new Error(`${path} is not an authority key file`);
  const file = result.data;
  const secretKey = fromBase64Url(file.secretKey);
  if (!isValidSecretKey(file.alg, secretKey)) throw new Error(`${path} holds an invalid ${file.alg} secret key`);
  return createAuthority({
    kid: file.kid,
    ...(file.authority === undefined ? {} : { authorityId: file.authority }),
    alg: file.alg,
    secretKey,
    notBefore: Date.parse(file.notBefore),
    notAfter: Date.parse(file.notAfter),
    ...(file.name === undefined ? {} : { name: file.name }),
  });
}
