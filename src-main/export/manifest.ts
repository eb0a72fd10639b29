// The export manifest: what the day holds, the SHA-256 of each file, the chain link of the first
// and last row, signed by the terminal key over its RFC 8785 canonical JSON (without `signature`).
import type { KeyObject } from 'node:crypto';
import type { CurrencyTotals } from '../ledger/reports';
import { canonicalJson } from './jcs';
import { publicKeyFromJwk, publicKeyId, signEs256Raw, verifyEs256Raw, type PublicJwk, type TerminalKey } from './terminal-key';

/** What this terminal writes: refund rows, their counts and totals, the manifest's refund list. */
export const MANIFEST_FORMAT = 'nfc-cashier-export/2';
/** Exports made before refunds existed: no refund rows, counts and totals without refund members. */
export const MANIFEST_FORMAT_1 = 'nfc-cashier-export/1';
/** Every format verify-export and settlement read. */
export const MANIFEST_FORMATS = [MANIFEST_FORMAT_1, MANIFEST_FORMAT] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

export function isManifestFormat(value: unknown): value is ManifestFormat {
  return MANIFEST_FORMATS.some((format) => format === value);
}

export interface ManifestFile {
  name: string; // file name in the same folder
  bytes: number;
  sha256: string; // lowercase hex
}

export interface ManifestCounts {
  rows: number; // every JSONL line
  sales: number;
  approved: number;
  declined: number;
  voided: number;
  refunded: number; // refund rows
  closes: number;
  demo: number;
  items: number;
}

export interface ManifestBody {
  format: typeof MANIFEST_FORMAT;
  terminalId: string;
  merchantId: string;
  ledgerId: string;
  businessDate: string;
  timeZone: string;
  zNumber: number | null; // null while the day is open
  generatedAt: string; // ISO 8601 UTC
  counts: ManifestCounts;
  totals: CurrencyTotals[]; // non-demo rows
  demoTotals: CurrencyTotals[];
  chain: {
    firstSeq: number | null;
    lastSeq: number | null;
    firstPrevHash: string | null; // hex: link to the previous business day's last row
    lastHash: string | null;
  };
  /**
   * The ledger's last row when the export was made (the day's own last row, or a later one when
   * an earlier day is exported): settlement holds every head it has seen, so a ledger restored
   * from an older copy shows as a head that went back or a row whose hash changed.
   */
  ledgerHead: { seq: number; hash: string };
  /**
   * The business day with rows before this one and the SHA-256 of the newest manifest of it this
   * ledger exported before this one (null when never exported); null when this is the first day.
   */
  previousDay: { businessDate: string; manifestSha256: string | null } | null;
  /** [sale, void] transaction ids of the day's voids, in ledger order (the CSV's voided_by column). */
  voids: [string, string][];
  /**
   * [sale, refund, amount] of the day's refund rows, in ledger order (the CSV's refunded and
   * refunded_by columns of the sales among them). Format 2 only.
   */
  refunds: [string, string, number][];
  files: { csv: ManifestFile; items: ManifestFile; jsonl: ManifestFile };
  terminalKey: { keyId: string; jwk: PublicJwk };
}

export interface Manifest extends ManifestBody {
  signature: { alg: 'ES256'; value: string }; // base64url raw r||s over canonicalJson(body)
}

export type { ReadManifest } from './manifest-schema';

/** The manifest file's exact text: 2-space indented JSON in the writer's key order, one final newline. */
export function manifestFileText(manifest: unknown): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function signedBytes(body: object): Uint8Array {
  return Buffer.from(canonicalJson(body), 'utf8');
}

export function signManifest(body: ManifestBody, key: TerminalKey): Manifest {
  const value = Buffer.from(signEs256Raw(key.privateKey, signedBytes(body))).toString('base64url');
  return { ...body, signature: { alg: 'ES256', value } };
}

export type ManifestSignatureCheck = { ok: true; keyId: string; publicKey: KeyObject } | { ok: false; problem: string };

/**
 * What the signature check reads: the key and the signature; every other member is the signed
 * body. A read manifest is one; so is a manifest parsed at a boundary that keeps every member
 * (settlement's upload route checks the signature before it takes the files).
 */
export interface SignedManifestFields {
  terminalKey: { keyId: string; jwk?: unknown };
  signature: { alg: string; value: string };
}

/** Checks the signature with the key the manifest names (and that the key id is that key's). */
export function checkManifestSignature<M extends SignedManifestFields>(manifest: M): ManifestSignatureCheck {
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromJwk(manifest.terminalKey?.jwk);
  } catch (error) {
    return { ok: false, problem: `manifest terminal key: ${(error as Error).message}` };
  }
  const keyId = publicKeyId(publicKey);
  if (keyId !== manifest.terminalKey.keyId) return { ok: false, problem: 'manifest terminal key id does not match its public key' };
  if (manifest.signature?.alg !== 'ES256' || typeof manifest.signature.value !== 'string') {
    return { ok: false, problem: 'manifest signature missing or not ES256' };
  }
  const { signature, ...body } = manifest;
  let bytes: Uint8Array;
  try {
    bytes = Buffer.from(canonicalJson(body), 'utf8');
  } catch (error) {
    return { ok: false, problem: `manifest is not canonicalisable: ${(error as Error).message}` };
  }
  if (!verifyEs256Raw(publicKey, bytes, Buffer.from(signature.value, 'base64url'))) {
    return { ok: false, problem: 'manifest signature does not verify with the terminal key' };
  }
  return { ok: true, keyId, publicKey };
}
