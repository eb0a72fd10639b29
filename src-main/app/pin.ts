// Manager PIN. Stored only as an scrypt hash with its own random salt in <dataDir>/pin.json;
// compared in constant time. Five wrong tries in a row lock the PIN for 30 s, and every further
// lockout doubles that (capped at a day) until a correct PIN resets it. The try is counted on
// disk BEFORE the hash is computed, so killing the app mid-check cannot earn a free try, and the
// lock survives restarts. Every attempt is appended to <dataDir>/pin-audit.jsonl.
import { CodedError } from '../domain/coded-error';
import { appendFileSync, mkdirSync } from 'node:fs';
import { scrypt, timingSafeEqual, randomBytes as nodeRandomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { pinWeakness, pinWeaknessMessage } from '../domain/pin-strength';
import type { Clock, RandomSource } from '../domain/payment';
import { readTextIfExists, writeFileAtomic } from '../fs/atomic-file';
import { silentLogger, type Logger } from './logger';

export const PIN_FILE = 'pin.json';
export const PIN_AUDIT_FILE = 'pin-audit.jsonl';
export const MAX_TRIES = 5;
export const FIRST_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 24 * 60 * 60 * 1000;

/** 4 to 12 digits: typed on the on-screen keypad. */
export const PinSchema = z.string().regex(/^\d{4,12}$/, 'the PIN must be 4 to 12 digits');

export interface KdfParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}
/** OWASP's scrypt floor is N=2^17 r=8 p=1; about 0.3 s here, acceptable for a manager login. */
export const DEFAULT_KDF: KdfParams = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 };

const B64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/);
const PinFileSchema = z
  .object({
    version: z.literal(1),
    kdf: z
      .object({
        name: z.literal('scrypt'),
        N: z
          .number()
          .int()
          .min(2 ** 14),
        r: z.number().int().min(8),
        p: z.number().int().min(1).max(16),
        keyLength: z.number().int().min(32).max(64),
      })
      .strict(),
    salt: B64,
    hash: B64,
    /** Wrong tries since the last success or the end of the last lock. */
    failures: z.number().int().min(0),
    /** Lockouts since the last success: the next lock lasts FIRST_LOCK_MS * 2^lockouts. */
    lockouts: z.number().int().min(0),
    lockedUntil: z.number().int().min(0).nullable(),
    changedAt: z.number().int().min(0),
  })
  .strict();
type PinFile = z.infer<typeof PinFileSchema>;

export type PinCheck =
  { result: 'ok' } | { result: 'wrong'; triesLeft: number } | { result: 'locked'; until: number } | { result: 'not-set' };

export type PinChange = PinCheck | { result: 'invalid'; message: string };

export type PinAuditEvent = 'ok' | 'wrong' | 'locked' | 'lockout-started' | 'set' | 'changed' | 'change-refused';
export interface PinAuditEntry {
  at: number;
  event: PinAuditEvent;
  /** What the attempt was for (e.g. 'manager-login', 'pin-change'). */
  purpose: string;
  triesLeft?: number;
  lockedUntil?: number;
}

export type PinErrorCode = 'corrupt' | 'already-set' | 'invalid-pin' | 'unreadable';

export class PinError extends CodedError<PinErrorCode> {
  override readonly name = 'PinError';
}

export interface PinStatus {
  set: boolean;
  failures: number;
  triesLeft: number;
  lockedUntil: number | null;
}

export interface PinService {
  status(): PinStatus;
  /**
   * First run only: refuses when a PIN already exists, unless `replaceUnconfirmed` (the caller
   * knows the first-run setup that chose it never completed).
   */
  setInitial(pin: string, options?: { replaceUnconfirmed?: boolean }): Promise<void>;
  verify(pin: string, purpose?: string): Promise<PinCheck>;
  /** Needs the current PIN (counted like any try); the new one must differ and be valid. */
  change(oldPin: string, newPin: string): Promise<PinChange>;
  /** The most recent audit entries, newest last. */
  audit(limit?: number): PinAuditEntry[];
}

export interface PinServiceOptions {
  dataDir: string;
  clock?: Clock;
  random?: RandomSource;
  kdf?: KdfParams;
  logger?: Logger;
}

function derive(pin: string, salt: Uint8Array, kdf: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, kdf.keyLength, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export function lockDurationMs(lockoutsBefore: number): number {
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(lockoutsBefore, 30));
}

export function openPinService(options: PinServiceOptions): PinService {
  const path = join(options.dataDir, PIN_FILE);
  const auditPath = join(options.dataDir, PIN_AUDIT_FILE);
  const clock = options.clock ?? Date.now;
  const random = options.random ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
  const kdf = options.kdf ?? DEFAULT_KDF;
  const log = (options.logger ?? silentLogger).child('pin');
  mkdirSync(options.dataDir, { recursive: true });

  let state = readState();
  // One check at a time: parallel tries must not share one failure count.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => undefined);
    return next;
  };

  function readState(): PinFile | undefined {
    let text: string | undefined;
    try {
      text = readTextIfExists(path);
    } catch (error) {
      throw new PinError('unreadable', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new PinError('corrupt', `PIN file ${path} is not valid JSON; restore it from a backup`, { cause: error });
    }
    const parsed = PinFileSchema.safeParse(json);
    if (!parsed.success) throw new PinError('corrupt', `PIN file ${path} is invalid: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  function save(next: PinFile): void {
    writeFileAtomic(path, `${JSON.stringify(next)}\n`);
    state = next;
  }

  function audit(entry: Omit<PinAuditEntry, 'at'>): void {
    const line: PinAuditEntry = { at: clock(), ...entry };
    appendFileSync(auditPath, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    log.info(`pin.${entry.event}`, { purpose: entry.purpose, triesLeft: entry.triesLeft, lockedUntil: entry.lockedUntil });
  }

  async function hashNew(pin: string): Promise<Pick<PinFile, 'kdf' | 'salt' | 'hash'>> {
    const salt = random(16);
    const hash = await derive(pin, salt, kdf);
    return { kdf: { name: 'scrypt', ...kdf }, salt: Buffer.from(salt).toString('base64'), hash: hash.toString('base64') };
  }

  /** One counted try. Returns the outcome and the state after it. */
  async function check(pin: string, purpose: string): Promise<PinCheck> {
    const current = state;
    if (!current) return { result: 'not-set' };
    const now = clock();
    if (current.lockedUntil !== null && now < current.lockedUntil) {
      audit({ event: 'locked', purpose, lockedUntil: current.lockedUntil });
      return { result: 'locked', until: current.lockedUntil };
    }
    // A lock that has run out gives a fresh set of tries, but the next lock will be longer.
    const base: PinFile = current.lockedUntil !== null ? { ...current, failures: 0, lockedUntil: null } : current;
    const failures = base.failures + 1;
    const locks = failures >= MAX_TRIES;
    const lockedUntil = locks ? now + lockDurationMs(base.lockouts) : null;
    save({ ...base, failures, lockouts: locks ? base.lockouts + 1 : base.lockouts, lockedUntil });

    const wellFormed = PinSchema.safeParse(pin).success;
    const expected = Buffer.from(base.hash, 'base64');
    const actual = wellFormed ? await derive(pin, Buffer.from(base.salt, 'base64'), base.kdf) : Buffer.alloc(expected.length);
    const match = wellFormed && actual.length === expected.length && timingSafeEqual(actual, expected);
    if (match) {
      save({ ...base, failures: 0, lockouts: 0, lockedUntil: null });
      audit({ event: 'ok', purpose });
      return { result: 'ok' };
    }
    if (lockedUntil !== null) {
      audit({ event: 'lockout-started', purpose, lockedUntil });
      return { result: 'locked', until: lockedUntil };
    }
    const triesLeft = MAX_TRIES - failures;
    audit({ event: 'wrong', purpose, triesLeft });
    return { result: 'wrong', triesLeft };
  }

  return {
    status() {
      if (!state) return { set: false, failures: 0, triesLeft: MAX_TRIES, lockedUntil: null };
      const locked = state.lockedUntil !== null && clock() < state.lockedUntil;
      const expired = state.lockedUntil !== null && !locked;
      const failures = expired ? 0 : state.failures;
      return { set: true, failures, triesLeft: locked ? 0 : MAX_TRIES - failures, lockedUntil: locked ? state.lockedUntil : null };
    },
    setInitial(pin, setOptions) {
      return serial(async () => {
        if (state && !setOptions?.replaceUnconfirmed) {
          throw new PinError('already-set', 'a manager PIN is already set; change it with the current PIN');
        }
        if (!PinSchema.safeParse(pin).success) throw new PinError('invalid-pin', 'the PIN must be 4 to 12 digits');
        const weak = pinWeakness(pin);
        if (weak) throw new PinError('invalid-pin', pinWeaknessMessage(weak));
        const hashed = await hashNew(pin);
        save({ version: 1, ...hashed, failures: 0, lockouts: 0, lockedUntil: null, changedAt: clock() });
        audit({ event: 'set', purpose: 'first-run' });
      });
    },
    verify(pin, purpose = 'manager-login') {
      return serial(() => check(pin, purpose));
    },
    change(oldPin, newPin) {
      return serial(async (): Promise<PinChange> => {
        const valid = PinSchema.safeParse(newPin);
        if (!valid.success) return { result: 'invalid', message: 'the new PIN must be 4 to 12 digits' };
        if (newPin === oldPin) return { result: 'invalid', message: 'the new PIN must differ from the current one' };
        const weak = pinWeakness(newPin);
        if (weak) return { result: 'invalid', message: pinWeaknessMessage(weak) };
        const checked = await check(oldPin, 'pin-change');
        if (checked.result !== 'ok') {
          audit({ event: 'change-refused', purpose: 'pin-change' });
          return checked;
        }
        const hashed = await hashNew(newPin);
        save({ version: 1, ...hashed, failures: 0, lockouts: 0, lockedUntil: null, changedAt: clock() });
        audit({ event: 'changed', purpose: 'pin-change' });
        return { result: 'ok' };
      });
    },
    audit(limit = 200) {
      const text = readTextIfExists(auditPath) ?? '';
      const entries: PinAuditEntry[] = [];
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          entries.push(JSON.parse(line) as PinAuditEntry);
        } catch {
          // A torn last line after a power cut is skipped, the rest is still shown.
        }
      }
      return entries.slice(-limit);
    },
  };
}
