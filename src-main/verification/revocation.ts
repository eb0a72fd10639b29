// Revocation lists: license serials and authority kids the terminal must decline, published
// by a credit authority as a COSE_Sign1 so the terminal can check it on import.
import { DetailedError } from '../domain/coded-error';
import { z } from 'zod';
import { decodeCbor, encodeCbor } from '../protocol/cbor';
import { isValidKid, parseCoseSign1, sigStructure, signCoseSign1 } from '../protocol/cose';
import { ProtocolError } from '../domain/protocol-error';
import { fromBase64Url, toBase64Url } from '../domain/bytes';
import { COSE_ALGORITHMS, algorithmFromCose, nobleVerifier } from '../protocol/signature';
import { SERIAL_PATTERN } from '../protocol/fields';
import { isValidAuthorityId, licenseIdentityKey, type LicenseIdentity } from './license-identity';
import type { TrustStore, TrustedAuthority } from './trust-store';

/**
 * What the terminal declines, scoped to the authority that said it: a list revokes only licenses
 * and keys of the authority whose key signed it (docs/protocol.md §10), so one authority can never
 * block another's customers. Entries are `authorityId/serial` (licenseIdentityKey) and
 * `authorityId/kid`; ask through isLicenseRevoked and isAuthorityKeyRevoked.
 */
export interface RevocationList {
  readonly licenses: ReadonlySet<string>;
  readonly authorityKeys: ReadonlySet<string>;
}

export const EMPTY_REVOCATIONS: RevocationList = { licenses: new Set(), authorityKeys: new Set() };

export function isLicenseRevoked(list: RevocationList, license: LicenseIdentity): boolean {
  return list.licenses.has(licenseIdentityKey(license));
}

/** Whether a list of the key's own authority revoked it. */
export function isAuthorityKeyRevoked(list: RevocationList, key: Pick<TrustedAuthority, 'authorityId' | 'kid'>): boolean {
  return list.authorityKeys.has(authorityKeyEntry(key.authorityId, key.kid));
}

function authorityKeyEntry(authorityId: string, kid: string): string {
  return `${authorityId}/${kid}`;
}

/** The union of verified lists, each applied to its own authority only. */
export function mergeRevocationLists(
  lists: Iterable<Pick<SignedRevocationList, 'authorityId' | 'licenseSerials' | 'authorityKids'>>,
): RevocationList {
  const licenses = new Set<string>();
  const authorityKeys = new Set<string>();
  for (const list of lists) {
    for (const serial of list.licenseSerials) licenses.add(licenseIdentityKey({ authorityId: list.authorityId, serial }));
    for (const kid of list.authorityKids) authorityKeys.add(authorityKeyEntry(list.authorityId, kid));
  }
  return { licenses, authorityKeys };
}

/** A verified, published list: who signed it, for which authority, its number and what it names. */
export interface SignedRevocationList {
  issuerKid: string;
  /** The signer's authority (its trust-store entry); the list revokes only this authority's licenses and keys. */
  authorityId: string;
  sequence: number;
  issuedAt: number; // epoch ms
  licenseSerials: ReadonlySet<string>;
  authorityKids: ReadonlySet<string>;
}

/**
 * The replacement rule (docs/protocol.md, "Revocation list"): a terminal holds one list per
 * signer kid, and `incoming` replaces the one `held` from the same signer only when its
 * sequence number is higher. An equal or lower number throws REVOCATION_NOT_NEWER, so a
 * replayed older list can never shrink the revoked set. Lists of different signers are kept
 * side by side; their union applies (mergeRevocationLists).
 */
export function checkReplaces(held: SignedRevocationList | undefined, incoming: SignedRevocationList): void {
  if (held === undefined || incoming.sequence > held.sequence) return;
  const from = incoming.issuerKid;
  if (incoming.sequence < held.sequence) {
    throw new RevocationListError(
      'REVOCATION_NOT_NEWER',
      `list #${incoming.sequence} from ${from} is older than list #${held.sequence} in use; an older list never replaces a newer one`,
    );
  }
  const detail = sameContent(held, incoming)
    ? `list #${incoming.sequence} from ${from} is already in use`
    : `list #${incoming.sequence} from ${from} has the number of the list in use but other content; ask the authority for a list with a higher number`;
  throw new RevocationListError('REVOCATION_NOT_NEWER', detail);
}

function sameContent(a: SignedRevocationList, b: SignedRevocationList): boolean {
  const sameSet = (x: ReadonlySet<string>, y: ReadonlySet<string>) => x.size === y.size && [...x].every((item) => y.has(item));
  return a.issuedAt === b.issuedAt && sameSet(a.licenseSerials, b.licenseSerials) && sameSet(a.authorityKids, b.authorityKids);
}

export const REVOCATION_FILE_TYPE = 'nfcpay-revocation-list';

export interface RevocationFileJson {
  type: typeof REVOCATION_FILE_TYPE;
  version: 1;
  /** base64url COSE_Sign1, payload { 1: sequence, 2: issuedAt (s), 3: [* serial], 4: [* kid], ? 5: authority id }. */
  cose: string;
}

const RevocationKey = { sequence: 1, issuedAt: 2, licenseSerials: 3, authorityKids: 4, authorityId: 5 } as const;

export const REVOCATION_ERROR_CODES = [
  'REVOCATION_NOT_A_LIST', // not a revocation list file, or its content is malformed
  'REVOCATION_UNSUPPORTED_ALGORITHM',
  'REVOCATION_UNKNOWN_SIGNER', // no kid, or a kid the trust store does not hold
  'REVOCATION_SIGNER_NOT_VALID', // signer retired or outside its validity window
  'REVOCATION_SIGNATURE_INVALID',
  'REVOCATION_AUTHORITY_MISMATCH', // the list names an authority other than its signer's trust-store entry
  'REVOCATION_NOT_NEWER', // sequence not above the list already held from the same signer
] as const;

export type RevocationErrorCode = (typeof REVOCATION_ERROR_CODES)[number];

export class RevocationListError extends DetailedError<RevocationErrorCode> {
  override readonly name = 'RevocationListError';
}

export interface RevocationContent {
  sequence: number;
  issuedAt: number; // epoch ms
  licenseSerials: string[];
  authorityKids: string[];
  /** The issuing authority's id (key 5); lists published before authority ids have none. */
  authorityId?: string;
}

export function encodeRevocationPayload(content: RevocationContent): Uint8Array {
  return encodeCbor(
    new Map<number, unknown>([
      [RevocationKey.sequence, content.sequence],
      [RevocationKey.issuedAt, Math.floor(content.issuedAt / 1000)],
      [RevocationKey.licenseSerials, [...content.licenseSerials]],
      [RevocationKey.authorityKids, [...content.authorityKids]],
      ...(content.authorityId === undefined ? [] : [[RevocationKey.authorityId, content.authorityId] as const]),
    ]),
  );
}

/** Signs a list with an authority key (`sign` receives the Sig_structure). */
export function signRevocationList(
  content: RevocationContent,
  issuer: { kid: string; alg: 'ES256' | 'EdDSA' },
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): RevocationFileJson {
  const cose = signCoseSign1(encodeRevocationPayload(content), COSE_ALGORITHMS[issuer.alg], issuer.kid, sign);
  return { type: REVOCATION_FILE_TYPE, version: 1, cose: toBase64Url(cose) };
}

const fileSchema = z.object({ type: z.literal(REVOCATION_FILE_TYPE), version: z.literal(1), cose: z.string() }).strict();

/**
 * Checks an imported list: signed by an authority in the trust store whose key is valid at
 * `now` and not retired. Throws RevocationListError with a reason a manager can read.
 */
export function verifyRevocationList(json: unknown, trustStore: TrustStore, now: number): SignedRevocationList {
  const file = fileSchema.safeParse(json);
  if (!file.success) throw new RevocationListError('REVOCATION_NOT_A_LIST', 'not a revocation list file');
  try {
    const cose = parseCoseSign1(fromBase64Url(file.data.cose), 'revocation list');
    const alg = algorithmFromCose(cose.alg);
    if (!alg) throw new RevocationListError('REVOCATION_UNSUPPORTED_ALGORITHM', `unsupported algorithm ${cose.alg}`);
    if (!cose.kid) throw new RevocationListError('REVOCATION_UNKNOWN_SIGNER', 'revocation list names no signer kid');
    const issuer = trustStore.find(cose.kid);
    if (!issuer) throw new RevocationListError('REVOCATION_UNKNOWN_SIGNER', `signer ${cose.kid} is not in the trust store`);
    if (issuer.retired || now < issuer.notBefore || now > issuer.notAfter) {
      throw new RevocationListError('REVOCATION_SIGNER_NOT_VALID', `signer ${cose.kid} is not valid now`);
    }
    if (
      issuer.alg !== alg ||
      !nobleVerifier.verify(alg, issuer.publicKey, sigStructure(cose.protectedBytes, cose.payload), cose.signature, true)
    ) {
      throw new RevocationListError('REVOCATION_SIGNATURE_INVALID', 'signature does not verify');
    }
    const { statedAuthorityId, ...content } = parseRevocationPayload(cose.payload);
    if (statedAuthorityId !== undefined && statedAuthorityId !== issuer.authorityId) {
      throw new RevocationListError(
        'REVOCATION_AUTHORITY_MISMATCH',
        `list is for authority ${statedAuthorityId} but the trust store holds its signer ${cose.kid} as authority ${issuer.authorityId}; import the signer's current trust-store entry first`,
      );
    }
    return { issuerKid: cose.kid, authorityId: issuer.authorityId, ...content };
  } catch (error) {
    if (error instanceof RevocationListError) throw error;
    if (error instanceof ProtocolError || error instanceof TypeError) {
      throw new RevocationListError('REVOCATION_NOT_A_LIST', `malformed revocation list: ${error.message}`);
    }
    throw error;
  }
}

function parseRevocationPayload(
  payload: Uint8Array,
): Omit<SignedRevocationList, 'issuerKid' | 'authorityId'> & { statedAuthorityId?: string } {
  const value = decodeCbor(payload);
  if (!(value instanceof Map) || (value.size !== 4 && value.size !== 5))
    throw new RevocationListError('REVOCATION_NOT_A_LIST', 'payload must be a map of 4 or 5 entries');
  const sequence: unknown = value.get(RevocationKey.sequence);
  const issuedAt: unknown = value.get(RevocationKey.issuedAt);
  const serials: unknown = value.get(RevocationKey.licenseSerials);
  const kids: unknown = value.get(RevocationKey.authorityKids);
  const authorityId: unknown = value.get(RevocationKey.authorityId);
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0)
    throw new RevocationListError('REVOCATION_NOT_A_LIST', 'bad sequence');
  if (typeof issuedAt !== 'number' || !Number.isSafeInteger(issuedAt) || issuedAt < 0)
    throw new RevocationListError('REVOCATION_NOT_A_LIST', 'bad issuedAt');
  if (value.size === 5 && !(typeof authorityId === 'string' && isValidAuthorityId(authorityId))) {
    throw new RevocationListError('REVOCATION_NOT_A_LIST', 'bad authority id (key 5)');
  }
  const textList = (list: unknown, valid: (text: string) => boolean, what: string): string[] => {
    const texts = Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string' && valid(item)) : [];
    if (!Array.isArray(list) || texts.length !== list.length) {
      throw new RevocationListError('REVOCATION_NOT_A_LIST', `bad ${what} list`);
    }
    return texts;
  };
  return {
    sequence,
    issuedAt: issuedAt * 1000,
    licenseSerials: new Set(textList(serials, (serial) => SERIAL_PATTERN.test(serial), 'license serial')),
    authorityKids: new Set(textList(kids, isValidKid, 'authority kid')),
    ...(typeof authorityId === 'string' ? { statedAuthorityId: authorityId } : {}),
  };
}
