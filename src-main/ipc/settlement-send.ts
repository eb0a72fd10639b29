// "Send to settlement": a closed day's signed export goes to the settlement service, kept in an
// outbox so a repeated send is byte for byte the same, and the revocation lists the service
// answers with go through the manager's own import. docs/settlement.md.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../app/errors';
import type { Terminal } from '../app/terminal';
import { exportBusinessDay } from '../export/export-day';
import { sendDay } from '../export/send-day';
import type { UploadPart } from '../export/settlement-wire';
import type { SettlementSendResult } from './contract';
import { IpcServiceError } from './services';

/** Closed days as sent to settlement, one folder per business date, in the data folder. */
export const SETTLEMENT_OUTBOX_DIR = 'settlement-outbox';

/** Sends `requested` (default: the newest closed day) to the settlement address in the settings. */
export async function sendToSettlement(terminal: Terminal, requested: string | undefined): Promise<SettlementSendResult> {
  const { settings, ledger } = terminal;
  const s = settings.get();
  const address = s.settlementAddress;
  const none = { outcome: 'none' } as const;
  // Only a closed day is sent: its rows can no longer change, so the service holds one
  // version of it (an open day sent now would conflict with the same day closed later).
  const businessDate = requested ?? ledger.businessDays().find((d) => d.zNumber !== null)?.businessDate ?? ledger.currentBusinessDate();
  if (address === '') return { outcome: 'not_configured', businessDate, address, revocations: none };
  if (!ledger.zReport(businessDate)) return { outcome: 'day_open', businessDate, address, revocations: none };
  const files = await outboxDay(terminal, businessDate);
  const sent = await sendDay({ address, files });
  terminal.logger.child('settlement').info('settlement.sent', {
    businessDate,
    address,
    outcome: sent.outcome,
    ...(sent.outcome === 'refused' ? { code: sent.code } : {}),
  });
  switch (sent.outcome) {
    case 'stored':
    case 'already_held':
      return {
        outcome: sent.outcome,
        businessDate,
        address,
        ...(sent.day.rows === undefined ? {} : { rows: sent.day.rows }),
        findings: sent.day.findings,
        revocations: takeRevocationLists(terminal, sent.revocationLists),
      };
    case 'refused':
      return {
        outcome: 'refused',
        businessDate,
        address,
        code: sent.code,
        message: sent.message,
        problems: sent.problems,
        revocations: none,
      };
    case 'unreachable':
      return { outcome: 'unreachable', businessDate, address, code: sent.reason, message: sent.message, revocations: none };
  }
}

/**
 * The signed export of a closed day as sent to settlement, kept in <dataDir>/settlement-outbox/
 * <date>/: written once (exported into a temporary folder, then renamed into place), then
 * sent again byte for byte, so a repeated send is "already held" at the service.
 */
async function outboxDay(terminal: Terminal, businessDate: string): Promise<Record<UploadPart, string>> {
  const outbox = join(terminal.dataDir, SETTLEMENT_OUTBOX_DIR);
  const folder = join(outbox, businessDate);
  if (!existsSync(folder)) {
    mkdirSync(outbox, { recursive: true });
    const staging = mkdtempSync(join(outbox, '.staging-'));
    try {
      const { settings, ledger } = terminal;
      const s = settings.get();
      await exportBusinessDay({
        ledgerPath: ledger.path,
        businessDate,
        outDir: staging,
        terminalKey: terminal.terminalKey,
        terminalId: s.terminalId,
        merchantId: s.merchantId,
        timeZone: settings.profile().timeZone,
      });
      renameSync(staging, folder);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const names = readdirSync(folder);
  const manifest = names.find((name) => name.endsWith('.manifest.json'));
  const base = manifest?.slice(0, -'.manifest.json'.length);
  if (!manifest || !base || !names.includes(`${base}.csv`) || !names.includes(`${base}-items.csv`) || !names.includes(`${base}.jsonl`)) {
    throw new IpcServiceError('internal', `the settlement outbox ${folder} does not hold a whole export`);
  }
  return {
    manifest: join(folder, manifest),
    csv: join(folder, `${base}.csv`),
    items: join(folder, `${base}-items.csv`),
    jsonl: join(folder, `${base}.jsonl`),
  };
}

/**
 * The revocation lists a settlement answer carries go through the same import as a file the
 * manager chooses: signed by a trusted authority, with a higher sequence than the list held
 * from that authority. Reported: the newest taken, else a refusal, else "up to date".
 */
function takeRevocationLists(terminal: Terminal, lists: unknown[]): SettlementSendResult['revocations'] {
  let taken: SettlementSendResult['revocations'] | undefined;
  let refused: SettlementSendResult['revocations'] | undefined;
  for (const list of lists) {
    try {
      const summary = terminal.trust.importRevocations(JSON.stringify(list));
      if (!taken || summary.issuedAt >= (taken.issuedAt ?? 0)) {
        taken = {
          outcome: 'imported',
          licenseSerials: summary.licenseSerials,
          authorityKids: summary.authorityKids,
          issuedAt: summary.issuedAt,
        };
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code !== 'conflict') refused ??= { outcome: 'refused', message: error.message };
    }
  }
  return taken ?? refused ?? (lists.length > 0 ? { outcome: 'not_newer' } : { outcome: 'none' });
}
