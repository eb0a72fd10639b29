// The terminal's pre-stored credit authority keys, found by `kid`, each with a validity
// window; and the JSON trust-store entry the authority exports and the manager imports.
import { CodedError } from '../domain/coded-error';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { isValidKid } from '../protocol/cose';
import { fromBase64Url, toBase64Url, toHex } from '../domain/bytes';
import { isValidAuthorityId, legacyAuthorityId } from './license-identity';
import { isValidEd25519PublicKey, isValidP256PublicKey, type SignatureAlgorithm } from '../protocol/signature';

export interface TrustedAuthority {
  kid: string;
  /** The credit authority this key belongs to (license-identity.ts); the kid for entries without one. */
  authorityId: string;
  alg: SignatureAlgorithm;
  /** ES256: SEC1 uncompressed point (65 bytes); EdDSA: Ed25519 public key (32 bytes). */
  publicKey: Uint8Array;
  /** Validity window of the key, epoch ms (inclusive). */
  notBefore: number;
  notAfter: number;
  /** Set by the manager when a key is retired before its window ends. */
  retired?: boolean;
  name?: string;
}

export interface TrustStore {
  find(kid: string): TrustedAuthority | undefined;
}

export function createTrustStore(authorities: Iterable<TrustedAuthority>): TrustStore {
  const byKid = new Map<string, TrustedAuthority>();
  for (const authority of authorities) byKid.set(authority.kid, authority);
  return { find: (kid) => byKid.get(kid) };
}

/** Human-comparable fingerprint: first 16 bytes of SHA-256(public key), hex in groups of 4. */
export function authorityFingerprint(publicKey: Uint8Array): string {
  const hex = toHex(sha256(publicKey).subarray(0, 16)).toUpperCase();
  return hex.match(/.{4}/g)?.join(' ') ?? hex;
}

export const TRUST_ENTRY_TYPE = 'nfcpay-trust-entry';

/** The file `authority export-trust` writes and the terminal imports (docs/protocol.md). */
export interface TrustEntryJson {
  type: typeof TRUST_ENTRY_TYPE;
  version: 1;
  kid: string;
  /** Absent in entries exported before authority ids: the authority is then the kid alone. */
  authority?: string;
  alg: SignatureAlgorithm;
  publicKey: string; // base64url
  notBefore: string; // ISO 8601 UTC
  notAfter: string;
  fingerprint: string;
  name?: string;
}

export class TrustEntryError extends CodedError<'TRUST_ENTRY_INVALID'> {
  override readonly name = 'TrustEntryError';
  constructor(message: string) {
    super('TRUST_ENTRY_INVALID', message);
  }
}

const isoDate = z.string().refine((text) => /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text)), 'ISO 8601 date');

const trustEntrySchema = z
  .object({
    type: z.literal(TRUST_ENTRY_TYPE),
    version: z.literal(1),
    kid: z.string().refine(isValidKid, 'kid of 1-64 characters [A-Za-z0-9._:-]'),
    authority: z.string().refine(isValidAuthorityId, 'authority id of 1-64 characters [A-Za-z0-9._:-]').optional(),
    alg: z.enum(['ES256', 'EdDSA']),
    publicKey: z.string().regex(/^[A-Za-z0-9_-]+$/),
    notBefore: isoDate,
    notAfter: isoDate,
    fingerprint: z.string(),
    name: z.string().max(120).optional(),
  })
  .strict();

/**
 * An authority's file as JSON, the trust entry or the authority's own key file: its identity,
 * then `key` (the key itself), its window, then `after`, and its name when it has one.
 */
export function authorityFileJson<Type extends string, Key extends Record<string, string>, After extends Record<string, string>>(
  type: Type,
  authority: Pick<TrustedAuthority, 'kid' | 'authorityId' | 'alg' | 'notBefore' | 'notAfter' | 'name'>,
  key: Key,
  after: After,
) {
  return {
    type,
    version: 1 as const,
    kid: authority.kid,
    authority: authority.authorityId,
    alg: authority.alg,
    ...key,
    notBefore: new Date(authority.notBefore).toISOString(),
    notAfter: new Date(authority.notAfter).toISOString(),
    ...after,
    ...(authority.name === undefined ? {} : { name: authority.name }),
  };
}

export function trustEntryToJson(authority: TrustedAuthority): TrustEntryJson {
  return authorityFileJson(
    TRUST_ENTRY_TYPE,
    authority,
    { publicKey: toBase64Url(authority.publicKey) },
    { fingerprint: authorityFingerprint(authority.publicKey) },
  );
}

/** Validates an imported entry: schema, key on its curve, window order, fingerprint matches. */
export function parseTrustEntry(json: unknown): TrustedAuthority {
  const parsed = trustEntrySchema.safeParse(json);
  if (!parsed.success) {
    throw new TrustEntryError(`not a trust-store entry: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const entry = parsed.data;
  const publicKey = fromBase64Url(entry.publicKey);
  const validKey = entry.alg === 'ES256' ? isValidP256PublicKey(publicKey) : isValidEd25519PublicKey(publicKey);
  if (!validKey) throw new TrustEntryError(`publicKey is not a valid ${entry.alg} public key`);
  const notBefore = Date.parse(entry.notBefore);
  const notAfter = Date.parse(entry.notAfter);
  if (notAfter <= notBefore) throw new TrustEntryError('notAfter must be after notBefore');
  if (authorityFingerprint(publicKey) !== entry.fingerprint) {
    throw new TrustEntryError('fingerprint does not match the public key');
  }
  return {
    kid: entry.kid,
    authorityId: entry.authority ?? legacyAuthorityId(entry.kid),
    alg: entry.alg,
    publicKey,
    notBefore,
    notAfter,
    ...(entry.name === undefined ? {} : { name: entry.name }),
  };
}
