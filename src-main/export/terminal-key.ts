// The terminal's own signing key (ECDSA P-256), made on first start and kept in the data folder
// with mode 0600 and refused when others could read or replace it. It signs export manifests;
// settlement pins its fingerprint.
import { CodedError } from '../domain/coded-error';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KeyFileError, readSecretFileSync } from '../fs/secret-file';

export const TERMINAL_KEY_FILE = 'terminal-key.pem';

export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

export interface TerminalKey {
  path: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: PublicJwk;
  /** SHA-256 of the public key's SubjectPublicKeyInfo DER, lowercase hex. */
  keyId: string;
  /** The first 16 bytes of keyId, upper-case in groups of four, for reading aloud. */
  fingerprint: string;
}

export class TerminalKeyError extends CodedError<'TERMINAL_KEY'> {
  override readonly name = 'TerminalKeyError';
  constructor(message: string) {
    super('TERMINAL_KEY', message);
  }
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function fingerprintOf(keyId: string): string {
  return keyId.slice(0, 32).toUpperCase().match(/.{4}/g)?.join(' ') ?? keyId;
}

export function publicKeyFromJwk(jwk: unknown): KeyObject {
  const candidate = jwk as Partial<PublicJwk> | null;
  if (candidate?.kty !== 'EC' || candidate.crv !== 'P-256' || typeof candidate.x !== 'string' || typeof candidate.y !== 'string') {
    throw new TerminalKeyError('terminal key must be an EC P-256 JWK');
  }
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: candidate.x, y: candidate.y }, format: 'jwk' });
}

function describe(path: string, privateKey: KeyObject): TerminalKey {
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as { x?: string; y?: string; crv?: string };
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new TerminalKeyError(`${path} is not a P-256 key`);
  const keyId = publicKeyId(publicKey);
  return {
    path,
    privateKey,
    publicKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
    keyId,
    fingerprint: fingerprintOf(keyId),
  };
}

/**
 * Reads `<dataDir>/terminal-key.pem`. A missing file is a TerminalKeyError, never a new key: a
 * new key would not be the one settlement pinned. A key file others could read or replace
 * throws KeyFileError rather than being repaired: a chmod cannot take back a key someone may
 * already have copied.
 */
export function loadTerminalKey(dataDir: string, expectKeyId?: string): TerminalKey {
  const path = join(dataDir, TERMINAL_KEY_FILE);
  let pem: string;
  try {
    pem = readSecretFileSync(path, 'the terminal key');
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new TerminalKeyError(
        `${path} is missing${expectKeyId ? ` (this terminal's key is ${fingerprintOf(expectKeyId)})` : ''}; restore it from a backup: a new key would not be the one settlement registered`,
      );
    }
    throw new TerminalKeyError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let key: TerminalKey;
  try {
    key = describe(path, createPrivateKey(pem));
  } catch (error) {
    if (error instanceof TerminalKeyError) throw error;
    throw new TerminalKeyError(`${path} does not hold a private key: ${(error as Error).message}`);
  }
  if (expectKeyId !== undefined && key.keyId !== expectKeyId) {
    throw new TerminalKeyError(
      `${path} holds key ${key.fingerprint}, but this terminal's key is ${fingerprintOf(expectKeyId)}; restore the terminal's own key file: exports signed by another key are refused by settlement`,
    );
  }
  return key;
}

/**
 * Reads `<dataDir>/terminal-key.pem`, or creates it (0600, never overwriting) when it is missing.
 * Only for a terminal that has no key yet (before its first run); afterwards loadTerminalKey.
 */
export function loadOrCreateTerminalKey(dataDir: string): TerminalKey {
  const path = join(dataDir, TERMINAL_KEY_FILE);
  try {
    return loadTerminalKey(dataDir);
  } catch (error) {
    if (!(error instanceof TerminalKeyError) || !existsNot(path)) throw error;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const text = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (openError) {
    // Another process created it first: use theirs.
    if ((openError as { code?: unknown }).code === 'EEXIST') return loadTerminalKey(dataDir);
    throw new TerminalKeyError(`cannot create ${path}: ${(openError as Error).message}`);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return describe(path, privateKey);
}

function existsNot(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ENOENT';
  }
}

/** ES256 signature, raw r||s (64 bytes) as in JOSE/COSE. */
export function signEs256Raw(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

export function verifyEs256Raw(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
