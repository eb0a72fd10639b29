// The terminal's trust store of credit-authority keys (<dataDir>/trust-store.json) and the
// revocation lists it has accepted (<dataDir>/revocations.json), as the manager administers
// them: preview an entry (kid, fingerprint, validity) before trusting it, confirm, list,
// retire. Retired keys stay listed but no longer verify licenses. The verification pipeline
// reads the live views `trustStore()` and `revocations()`.
//
// Files keep what was imported, verbatim: each load re-parses every entry and re-verifies
// every revocation list's signature, so an edited file is refused rather than believed.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../domain/payment';
import {
  authorityFingerprint,
  createTrustStore,
  parseTrustEntry,
  TrustEntryError,
  type TrustedAuthority,
  type TrustStore,
} from '../verification/trust-store';
import {
  checkReplaces,
  isAuthorityKeyRevoked,
  mergeRevocationLists,
  RevocationListError,
  verifyRevocationList,
  type RevocationList,
  type SignedRevocationList,
} from '../verification/revocation';
import { AppError, refusal } from './errors';
import { readTextIfExists, writeFileAtomic } from '../fs/atomic-file';
import { silentLogger, type Logger } from './logger';

export const TRUST_STORE_FILE = 'trust-store.json';
export const REVOCATIONS_FILE = 'revocations.json';
/** A preview token is good for this long, once. */
export const PREVIEW_TTL_MS = 15 * 60_000;
const MAX_PREVIEWS = 32;

export type TrustKeyStatus = 'active' | 'retired' | 'revoked' | 'expired' | 'not-yet-valid';

/** One key as the manager sees it. */
export interface TrustKeyInfo {
  kid: string;
  /** The credit authority the key belongs to (its kid for entries without an authority id). */
  authorityId: string;
  fingerprint: string;
  algorithm: string;
  label?: string;
  notBefore: number;
  notAfter: number;
  addedAt: number;
  retiredAt?: number;
  demo: boolean;
  status: TrustKeyStatus;
}

export interface TrustKeyPreview {
  /** Single-use token for confirmImport, valid PREVIEW_TTL_MS. */
  token: string;
  kid: string;
  authorityId: string;
  fingerprint: string;
  algorithm: string;
  label?: string;
  notBefore: number;
  notAfter: number;
  /** The same key (same kid and public key) is already in the store. */
  alreadyPresent: boolean;
}

export interface RevocationSummary {
  issuerKid: string;
  sequence: number;
  issuedAt: number;
  importedAt: number;
  licenseSerials: number;
  authorityKids: number;
}

export interface TrustStoreAdmin {
  /** Parses an entry (JSON text) and returns what the manager must confirm. Throws AppError('rejected'). */
  previewImport(entryJson: string): TrustKeyPreview;
  /** Trusts the key a preview named. Throws AppError('not_found') for an unknown or used token. */
  confirmImport(token: string): TrustKeyInfo;
  /** Preview and confirm in one step (first run with a file, demo setup, command line). */
  importEntry(entryJson: string, options?: { demo?: boolean }): TrustKeyInfo;
  list(): TrustKeyInfo[];
  /** Stops trusting a key; it stays listed. Throws AppError('not_found' | 'conflict'). */
  retire(kid: string): TrustKeyInfo;
  /** True when at least one key is trusted now (not retired, revoked, or outside its window). */
  hasActiveKey(): boolean;
  /**
   * Verifies a revocation list against the trust store; it replaces the list held from the same
   * signer only when its sequence number is higher. Throws AppError('rejected') for a list that
   * does not verify, AppError('conflict') for one not newer (REVOCATION_NOT_NEWER in the message).
   */
  importRevocations(listJson: string): RevocationSummary;
  revocationSummaries(): RevocationSummary[];
  /** Live view for the verification pipeline: reads the current keys on every lookup. */
  trustStore(): TrustStore;
  /** Live view for the verification pipeline: the union of the newest list of each signer. */
  revocations(): RevocationList;
  /** Called after every change (key added or retired, list imported). */
  onChange(listener: () => void): () => void;
}

const StoredKeySchema = z
  .object({
    /** The trust-store entry exactly as imported. */
    entry: z.unknown(),
    addedAt: z.number().int().nonnegative(),
    retiredAt: z.number().int().nonnegative().optional(),
    demo: z.boolean(),
  })
  .strict();
const TrustFileSchema = z.object({ version: z.literal(1), keys: z.array(StoredKeySchema) }).strict();
type TrustFile = z.infer<typeof TrustFileSchema>;

const StoredListSchema = z.object({ list: z.unknown(), importedAt: z.number().int().nonnegative() }).strict();
const RevocationsFileSchema = z.object({ version: z.literal(1), lists: z.array(StoredListSchema) }).strict();
type RevocationsFile = z.infer<typeof RevocationsFileSchema>;

interface KeyRecord {
  authority: TrustedAuthority;
  entry: unknown;
  addedAt: number;
  retiredAt?: number;
  demo: boolean;
}

interface ListRecord {
  verified: SignedRevocationList;
  list: unknown;
  importedAt: number;
}

export interface TrustStoreAdminOptions {
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
}

function readJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): T | undefined {
  let text: string | undefined;
  try {
    text = readTextIfExists(path);
  } catch (error) {
    throw new AppError('rejected', `cannot read the ${what} ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('rejected', `the ${what} ${path} is not valid JSON; restore it from a backup — it was not replaced`, {
      cause: error,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError('rejected', `the ${what} ${path} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('rejected', `the ${what} is not valid JSON`, { refusal: refusal('not_json') });
  }
}

export function openTrustStoreAdmin(options: TrustStoreAdminOptions): TrustStoreAdmin {
  const clock = options.clock ?? Date.now;
  const log = (options.logger ?? silentLogger).child('trust');
  const trustPath = join(options.dataDir, TRUST_STORE_FILE);
  const revocationsPath = join(options.dataDir, REVOCATIONS_FILE);
  const listeners = new Set<() => void>();
  const previews = new Map<string, { authority: TrustedAuthority; entry: unknown; expiresAt: number }>();

  const keys = new Map<string, KeyRecord>();
  for (const stored of readJsonFile(trustPath, TrustFileSchema, 'trust store')?.keys ?? []) {
    let authority: TrustedAuthority;
    try {
      authority = parseTrustEntry(stored.entry);
    } catch (error) {
      throw new AppError('rejected', `the trust store ${trustPath} holds an invalid entry: ${(error as Error).message}`, { cause: error });
    }
    if (keys.has(authority.kid)) throw new AppError('rejected', `the trust store ${trustPath} lists ${authority.kid} twice`);
    keys.set(authority.kid, {
      authority: stored.retiredAt === undefined ? authority : { ...authority, retired: true },
      entry: stored.entry,
      addedAt: stored.addedAt,
      ...(stored.retiredAt === undefined ? {} : { retiredAt: stored.retiredAt }),
      demo: stored.demo,
    });
  }

  const store: TrustStore = { find: (kid) => keys.get(kid)?.authority };
  // Lists are re-verified with the keys as they were trusted at import time: a signer retired
  // or expired since then does not un-revoke what it revoked.
  const everTrusted: TrustStore = createTrustStore([...keys.values()].map((k) => ({ ...k.authority, retired: false })));

  // One list per signer. The file is applied in order under the same rule as an import, so an
  // older list of a signer added to the file after its newer one is refused, not believed.
  const lists = new Map<string, ListRecord>();
  for (const stored of readJsonFile(revocationsPath, RevocationsFileSchema, 'revocation lists')?.lists ?? []) {
    let verified: SignedRevocationList;
    try {
      verified = verifyRevocationList(stored.list, everTrusted, stored.importedAt);
      checkReplaces(lists.get(verified.issuerKid)?.verified, verified);
    } catch (error) {
      throw new AppError('rejected', `the revocation lists in ${revocationsPath} do not verify: ${(error as Error).message}`, {
        cause: error,
      });
    }
    lists.set(verified.issuerKid, { verified, list: stored.list, importedAt: stored.importedAt });
  }
  let merged: RevocationList = mergeRevocationLists([...lists.values()].map((l) => l.verified));

  const revocationView: RevocationList = {
    get licenses() {
      return merged.licenses;
    },
    get authorityKeys() {
      return merged.authorityKeys;
    },
  };

  function changed(): void {
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // A listener's failure does not undo the change.
      }
    }
  }

  function saveKeys(): void {
    const file: TrustFile = {
      version: 1,
      keys: [...keys.values()].map((k) => ({
        entry: k.entry,
        addedAt: k.addedAt,
        ...(k.retiredAt === undefined ? {} : { retiredAt: k.retiredAt }),
        demo: k.demo,
      })),
    };
    writeFileAtomic(trustPath, `${JSON.stringify(file, null, 2)}\n`);
  }

  function saveLists(): void {
    const file: RevocationsFile = { version: 1, lists: [...lists.values()].map((l) => ({ list: l.list, importedAt: l.importedAt })) };
    writeFileAtomic(revocationsPath, `${JSON.stringify(file, null, 2)}\n`);
  }

  function statusOf(record: KeyRecord, now: number): TrustKeyStatus {
    if (record.retiredAt !== undefined) return 'retired';
    if (isAuthorityKeyRevoked(merged, record.authority)) return 'revoked';
    if (now < record.authority.notBefore) return 'not-yet-valid';
    if (now > record.authority.notAfter) return 'expired';
    return 'active';
  }

  function info(record: KeyRecord): TrustKeyInfo {
    const a = record.authority;
    return {
      kid: a.kid,
      authorityId: a.authorityId,
      fingerprint: authorityFingerprint(a.publicKey),
      algorithm: a.alg,
      ...(a.name === undefined ? {} : { label: a.name }),
      notBefore: a.notBefore,
      notAfter: a.notAfter,
      addedAt: record.addedAt,
      ...(record.retiredAt === undefined ? {} : { retiredAt: record.retiredAt }),
      demo: record.demo,
      status: statusOf(record, clock()),
    };
  }

  function parseEntry(entryJson: string): { authority: TrustedAuthority; entry: unknown } {
    const entry = parseJsonText(entryJson, 'trust-store entry');
    try {
      return { authority: parseTrustEntry(entry), entry };
    } catch (error) {
      if (error instanceof TrustEntryError || error instanceof TypeError) {
        throw new AppError('rejected', `this is not a valid trust-store entry: ${error.message}`, {
          cause: error,
          refusal: refusal('trust_entry_invalid', { why: error.message }),
        });
      }
      throw error;
    }
  }

  /** Same kid with the same key: present. Same kid with another key: refused. */
  function existing(authority: TrustedAuthority): KeyRecord | undefined {
    const record = keys.get(authority.kid);
    if (!record) return undefined;
    const sameKey = Buffer.from(record.authority.publicKey).equals(Buffer.from(authority.publicKey));
    if (!sameKey) {
      throw new AppError('conflict', `a different key named ${authority.kid} is already in the trust store; a new key needs a new kid`, {
        refusal: refusal('trust_kid_taken', { kid: authority.kid }),
      });
    }
    return record;
  }

  function add(authority: TrustedAuthority, entry: unknown, demo: boolean): TrustKeyInfo {
    const present = existing(authority);
    if (present) {
      if (present.retiredAt !== undefined) {
        throw new AppError('conflict', `key ${authority.kid} was retired; a retired key is not trusted again`, {
          refusal: refusal('trust_retired_again', { kid: authority.kid }),
        });
      }
      return info(present);
    }
    const record: KeyRecord = { authority, entry, addedAt: clock(), demo };
    keys.set(authority.kid, record);
    try {
      saveKeys();
    } catch (error) {
      keys.delete(authority.kid);
      throw error;
    }
    log.info('trust.key-added', { kid: authority.kid, fingerprint: authorityFingerprint(authority.publicKey), demo });
    changed();
    return info(record);
  }

  return {
    previewImport(entryJson) {
      const { authority, entry } = parseEntry(entryJson);
      const present = existing(authority);
      const now = clock();
      for (const [token, preview] of previews) if (preview.expiresAt <= now) previews.delete(token);
      // Bounded: a renderer previewing in a loop cannot grow main's memory.
      while (previews.size >= MAX_PREVIEWS) previews.delete(previews.keys().next().value as string);
      const token = randomBytes(16).toString('hex');
      previews.set(token, { authority, entry, expiresAt: now + PREVIEW_TTL_MS });
      return {
        token,
        kid: authority.kid,
        authorityId: authority.authorityId,
        fingerprint: authorityFingerprint(authority.publicKey),
        algorithm: authority.alg,
        ...(authority.name === undefined ? {} : { label: authority.name }),
        notBefore: authority.notBefore,
        notAfter: authority.notAfter,
        alreadyPresent: present !== undefined,
      };
    },
    confirmImport(token) {
      const preview = previews.get(token);
      previews.delete(token);
      if (!preview || preview.expiresAt <= clock()) {
        throw new AppError('not_found', 'this key preview has expired or was already used; import the file again', {
          refusal: refusal('preview_expired'),
        });
      }
      return add(preview.authority, preview.entry, false);
    },
    importEntry(entryJson, importOptions) {
      const { authority, entry } = parseEntry(entryJson);
      return add(authority, entry, importOptions?.demo ?? false);
    },
    list() {
      return [...keys.values()].sort((a, b) => a.addedAt - b.addedAt || a.authority.kid.localeCompare(b.authority.kid)).map(info);
    },
    retire(kid) {
      const record = keys.get(kid);
      if (!record) throw new AppError('not_found', `no key ${kid} in the trust store`, { refusal: refusal('trust_no_key', { kid }) });
      if (record.retiredAt !== undefined)
        throw new AppError('conflict', `key ${kid} is already retired`, { refusal: refusal('trust_already_retired', { kid }) });
      const retired: KeyRecord = { ...record, authority: { ...record.authority, retired: true }, retiredAt: clock() };
      keys.set(kid, retired);
      try {
        saveKeys();
      } catch (error) {
        keys.set(kid, record);
        throw error;
      }
      log.info('trust.key-retired', { kid });
      changed();
      return info(retired);
    },
    hasActiveKey() {
      return [...keys.values()].some((k) => statusOf(k, clock()) === 'active');
    },
    importRevocations(listJson) {
      const list = parseJsonText(listJson, 'revocation list');
      const now = clock();
      let verified: SignedRevocationList;
      let current: ListRecord | undefined;
      try {
        verified = verifyRevocationList(list, store, now);
        current = lists.get(verified.issuerKid);
        checkReplaces(current?.verified, verified);
      } catch (error) {
        if (!(error instanceof RevocationListError)) throw error;
        const code = error.code === 'REVOCATION_NOT_NEWER' ? 'conflict' : 'rejected';
        throw new AppError(code, `revocation list refused: ${error.message}`, {
          cause: error,
          refusal: refusal('crl_refused', { why: error.message }),
        });
      }
      const record: ListRecord = { verified, list, importedAt: now };
      lists.set(verified.issuerKid, record);
      try {
        saveLists();
      } catch (error) {
        if (current) lists.set(verified.issuerKid, current);
        else lists.delete(verified.issuerKid);
        throw error;
      }
      merged = mergeRevocationLists([...lists.values()].map((l) => l.verified));
      log.info('trust.revocations-imported', {
        issuer: verified.issuerKid,
        sequence: verified.sequence,
        licenseSerials: verified.licenseSerials.size,
        authorityKids: verified.authorityKids.size,
      });
      changed();
      return summary(record);
    },
    revocationSummaries() {
      return [...lists.values()].map(summary);
    },
    trustStore: () => store,
    revocations: () => revocationView,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function summary(record: ListRecord): RevocationSummary {
  return {
    issuerKid: record.verified.issuerKid,
    sequence: record.verified.sequence,
    issuedAt: record.verified.issuedAt,
    importedAt: record.importedAt,
    licenseSerials: record.verified.licenseSerials.size,
    authorityKids: record.verified.authorityKids.size,
  };
}
