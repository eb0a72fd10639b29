// The deliberate, PIN-protected way to take a ledger file as the terminal's own: after restoring
// a backup on purpose, after losing the chain-head file, or after losing settings.json (which is
// rebuilt from the ledger's own identity, never from a new first-run setup). Every adoption is
// recorded in the ledger (table `adoptions`) with the head it replaces.
import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../domain/payment';
import { loadTerminalKey } from '../export/terminal-key';
import { Ledger } from '../ledger/ledger';
import type { LedgerHead } from '../ledger/head-file';
import { getCountry } from './countries';
import { openPinService, PinSchema, type KdfParams } from './pin';
import { defaultSettings, openSettings, SettingsError, type Settings } from './settings';
import { LEDGER_FILE } from './terminal';

export type RecoveryErrorCode =
  | 'no_data_folder' // --data-dir names no folder
  | 'no_ledger' // nothing to adopt
  | 'ledger_damaged' // the ledger's own integrity check fails: adopting it would hide that
  | 'pin_required' // the PIN file exists: give the manager PIN
  | 'pin_wrong'
  | 'pin_locked'
  | 'confirm_required' // offline recovery (no PIN file): a new PIN and the ledger id, typed out
  | 'country_required'; // settings are rebuilt: the store's country is not in the ledger

export class RecoveryError extends Error {
  override readonly name = 'RecoveryError';
  constructor(
    readonly code: RecoveryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface AdoptLedgerOptions {
  dataDir: string;
  /** The manager PIN (required whenever the PIN file exists). */
  pin?: string;
  /** Offline recovery when the PIN file is gone too: the new manager PIN ... */
  newPin?: string;
  /** ... and the ledger id, as `ledger adopt` prints it when asked without it. */
  confirmLedgerId?: string;
  /** Needed only when settings.json is rebuilt. */
  country?: string;
  merchantName?: string;
  reason: string;
  operator?: string;
  clock?: Clock;
  pinKdf?: KdfParams;
}

export interface AdoptLedgerResult {
  ledgerId: string;
  head: LedgerHead;
  terminalId: string;
  merchantId: string;
  terminalKeyId: string;
  /** settings.json was missing or unreadable and was rebuilt from the ledger (the old file kept beside it). */
  settingsRebuilt: boolean;
  keptSettingsAs: string | null;
  replacedLedgerId: string | null;
  pinReset: boolean;
}

/** Settings as they are, or null when they must be rebuilt (missing, unreadable or never completed). */
function currentSettings(dataDir: string): { settings: Settings | null; brokenPath: string | null } {
  try {
    const store = openSettings(dataDir);
    const settings = store.get();
    return { settings: store.exists() && settings.firstRunComplete ? settings : null, brokenPath: null };
  } catch (error) {
    if (error instanceof SettingsError && error.code !== 'unreadable') return { settings: null, brokenPath: error.path };
    throw error;
  }
}

export async function adoptLedger(options: AdoptLedgerOptions): Promise<AdoptLedgerResult> {
  const { dataDir } = options;
  const clock = options.clock ?? Date.now;
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) throw new RecoveryError('no_data_folder', `${dataDir} is not a folder`);
  const ledgerPath = join(dataDir, LEDGER_FILE);
  if (!existsSync(ledgerPath)) throw new RecoveryError('no_ledger', `there is no ledger at ${ledgerPath} to adopt`);

  // Read-only first: what the ledger is and whether it is sound, before anything is changed.
  const peek = new Ledger({ path: ledgerPath, readOnly: true, terminalId: '', merchantId: '', timeZone: 'UTC', cutoffHour: 0 });
  let identity: { terminalId: string; merchantId: string } | undefined;
  try {
    const report = peek.integrityCheck();
    // The head file's complaint is what adoption answers; anything else stops it.
    let ownProblem: string | null;
    try {
      ownProblem = peek.headFileProblem();
    } catch (error) {
      ownProblem = (error as Error).message;
    }
    const problems = report.problems.filter((problem) => problem !== ownProblem);
    if (problems.length > 0) {
      throw new RecoveryError(
        'ledger_damaged',
        `${ledgerPath} does not pass its integrity check (${problems.join('; ')}); it is not adopted`,
      );
    }
    const days = peek.businessDays();
    const latest = days[0];
    if (latest) {
      const id = peek.listAttempts({ businessDate: latest.businessDate, order: 'desc', limit: 1 }).rows[0]?.transactionId;
      const row = id ? peek.getAttempt(id) : undefined;
      if (row) identity = { terminalId: row.terminalId, merchantId: row.merchantId };
    }
  } finally {
    peek.close();
  }
  const ledgerId = peek.ledgerId;

  const pins = openPinService({ dataDir, clock, ...(options.pinKdf ? { kdf: options.pinKdf } : {}) });
  let pinReset = false;
  if (pins.status().set) {
    if (options.pin === undefined) throw new RecoveryError('pin_required', 'give the manager PIN (--pin) to adopt the ledger');
    const check = await pins.verify(options.pin, 'ledger-adopt');
    if (check.result === 'wrong') throw new RecoveryError('pin_wrong', `wrong manager PIN (${check.triesLeft} tries left)`);
    if (check.result === 'locked')
      throw new RecoveryError('pin_locked', `the manager PIN is locked until ${new Date(check.until).toISOString()}`);
  } else {
    if (options.newPin === undefined || options.confirmLedgerId !== ledgerId) {
      throw new RecoveryError(
        'confirm_required',
        `the PIN file is missing too: offline recovery needs a new manager PIN (--new-pin) and the ledger id typed out (--confirm-ledger ${ledgerId})`,
      );
    }
    if (!PinSchema.safeParse(options.newPin).success) throw new RecoveryError('confirm_required', 'the new PIN must be 4 to 12 digits');
    await pins.setInitial(options.newPin);
    pinReset = true;
  }

  const { settings: kept, brokenPath } = currentSettings(dataDir);
  let next: Settings;
  if (kept) {
    next = kept;
  } else {
    if (options.country === undefined)
      throw new RecoveryError('country_required', "settings.json is rebuilt from the ledger: give the store's country (--country)");
    const country = getCountry(options.country);
    if (!identity)
      throw new RecoveryError(
        'no_ledger',
        `${ledgerPath} holds no rows to take the terminal and merchant ids from; run the first-run setup instead`,
      );
    next = {
      ...defaultSettings(),
      country: country.code,
      language: country.language,
      merchantId: identity.merchantId,
      merchantName: options.merchantName ?? identity.merchantId,
      terminalId: identity.terminalId,
      firstRunComplete: true,
    };
  }
  const terminalKey = loadTerminalKey(dataDir, kept?.terminalKeyId);
  const replacedLedgerId = kept?.ledgerId !== undefined && kept.ledgerId !== ledgerId ? kept.ledgerId : null;

  const adopted = new Ledger({
    path: ledgerPath,
    terminalId: next.terminalId,
    merchantId: next.merchantId,
    timeZone: 'UTC',
    cutoffHour: 0,
    clock,
    adopt: {
      at: clock(),
      operator: options.operator ?? (pinReset ? 'offline-recovery' : 'manager'),
      reason: options.reason,
      ...(replacedLedgerId ? { replacedLedgerId } : {}),
    },
  });
  const head = adopted.head();
  adopted.close();

  let keptSettingsAs: string | null = null;
  if (brokenPath) {
    keptSettingsAs = `${brokenPath}.unreadable-${clock()}`;
    renameSync(brokenPath, keptSettingsAs);
  }
  openSettings(dataDir).replace({ ...next, ledgerId, terminalKeyId: terminalKey.keyId });
  return {
    ledgerId,
    head,
    terminalId: next.terminalId,
    merchantId: next.merchantId,
    terminalKeyId: terminalKey.keyId,
    settingsRebuilt: !kept,
    keptSettingsAs,
    replacedLedgerId,
    pinReset,
  };
}
