// COSE_Sign1 (RFC 9052 section 4.2), untagged, with the header profile of docs/protocol.md:
// protected = { 1: alg, ?4: kid }, unprotected = {}. Signatures are checked over the
// Sig_structure built from the protected header and payload exactly as received.
import { decodeCbor, encodeCbor } from './cbor';
import { fail } from '../domain/protocol-error';
import { fromUtf8, utf8 } from '../domain/bytes';

export const HEADER_ALG = 1;
export const HEADER_KID = 4;

export interface CoseSign1 {
  /** The protected header bstr contents as received (signed as is). */
  protectedBytes: Uint8Array;
  /** COSE algorithm id from the protected header (not yet checked against an allow-list). */
  alg: number;
  /** `kid` from the protected header, when present: text identifier carried as UTF-8 bytes. */
  kid?: string;
  payload: Uint8Array;
  signature: Uint8Array;
}

const KID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export function isValidKid(kid: string): boolean {
  return KID_PATTERN.test(kid);
}

/** Parses the COSE_Sign1 structure; CBOR errors are malformed_cbor, shape errors malformed_cose. */
export function parseCoseSign1(bytes: Uint8Array, what: string): CoseSign1 {
  const value = decodeCbor(bytes);
  if (!Array.isArray(value) || value.length !== 4) fail('malformed_cose', `${what}: COSE_Sign1 must be an array of 4`);
  const [protectedBytes, unprotected, payload, signature] = value as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || protectedBytes.length === 0) {
    fail('malformed_cose', `${what}: protected header must be a non-empty bstr`);
  }
  if (!(unprotected instanceof Map) || unprotected.size !== 0) {
    fail('malformed_cose', `${what}: unprotected header must be an empty map`);
  }
  if (!(payload instanceof Uint8Array)) fail('malformed_cose', `${what}: payload must be an embedded bstr`);
  if (!(signature instanceof Uint8Array)) fail('malformed_cose', `${what}: signature must be a bstr`);

  const header = decodeCbor(protectedBytes);
  if (!(header instanceof Map)) fail('malformed_cose', `${what}: protected header is not a map`);
  let alg: number | undefined;
  let kid: string | undefined;
  for (const [label, entry] of header as Map<unknown, unknown>) {
    if (label === HEADER_ALG) {
      // COSE also names algorithms by text; none of those is on our allow-list.
      if (typeof entry === 'string')
        fail('unsupported_algorithm', `${what}: algorithm "${entry.slice(0, 32)}" is not ES256 (-7) or EdDSA (-8)`);
      if (typeof entry !== 'number' || !Number.isInteger(entry)) fail('malformed_cose', `${what}: alg must be an integer`);
      alg = entry;
    } else if (label === HEADER_KID) {
      if (!(entry instanceof Uint8Array)) fail('malformed_cose', `${what}: kid must be a bstr`);
      let text: string;
      try {
        text = fromUtf8(entry);
      } catch {
        return fail('malformed_cose', `${what}: kid is not UTF-8`);
      }
      if (!isValidKid(text)) fail('malformed_cose', `${what}: kid has characters outside [A-Za-z0-9._:-] or wrong length`);
      kid = text;
    } else {
      fail('malformed_cose', `${what}: protected header label ${String(label)} is not allowed`);
    }
  }
  if (alg === undefined) fail('malformed_cose', `${what}: protected header has no alg`);
  return { protectedBytes, alg, kid, payload, signature };
}

/** Sig_structure = ["Signature1", body_protected, external_aad = h'', payload]. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), payload]);
}

export function encodeProtectedHeader(alg: number, kid?: string): Uint8Array {
  const header = new Map<number, unknown>([[HEADER_ALG, alg]]);
  if (kid !== undefined) header.set(HEADER_KID, utf8(kid));
  return encodeCbor(header);
}

export function encodeCoseSign1(protectedBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array): Uint8Array {
  return encodeCbor([protectedBytes, new Map(), payload, signature]);
}

/** Signs `payload` with `sign(toBeSigned)` and returns the COSE_Sign1 bytes. */
export function signCoseSign1(
  payload: Uint8Array,
  alg: number,
  kid: string | undefined,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  const protectedBytes = encodeProtectedHeader(alg, kid);
  return encodeCoseSign1(protectedBytes, payload, sign(sigStructure(protectedBytes, payload)));
}
