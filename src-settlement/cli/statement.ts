// `settlement statement`: what money moves on: a merchant's business day (CSV or JSON) and an
// account's approvals over a period.
import { csvLine } from '../../src-main/export/csv-writer';
import { formatMinor } from '../../src-main/ledger/money';
import { ACCOUNT_CSV_COLUMNS, accountCsvRecords, accountStatement } from '../statements/account';
import { MERCHANT_CSV_COLUMNS, merchantDayCsvRecords, merchantDayStatement } from '../statements/merchant-day';
import { parseArgs } from 'node:util';
import { command, COMMON_OPTIONS, printJson, UsageError, withDatabase } from './options';

export const help = `usage: npm run settlement -- statement merchant --merchant M --date YYYY-MM-DD [--csv | --json]
       npm run settlement -- statement account --account A --from YYYY-MM-DD --to YYYY-MM-DD [--csv | --json]

merchant: approved, voided, refunded and net money per currency for the business day, per
terminal and in total (minor units; demo payments left out, as in the Z report). A refund counts
on the day it was made, whichever day its sale was.
account: every approval of the account and every refund to it from --from (inclusive) to --to
(exclusive), UTC dates, each with its merchant, time, amount and (refunds) the sale it refunds;
net per currency (approvals not voided, less refunds).`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function run(args: string[]): Promise<number> {
  return command(help, async () => {
    const { values, positionals } = parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        merchant: { type: 'string' },
        date: { type: 'string' },
        account: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        csv: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const [what] = positionals;
    return withDatabase(values.db, async (db) => {
      if (what === 'merchant') {
        if (!values.merchant || !values.date || !DATE.test(values.date))
          throw new UsageError(`statement merchant needs --merchant and --date YYYY-MM-DD\n\n${help}`);
        const statement = await merchantDayStatement(db, values.merchant, values.date);
        if (values.json) printJson(statement);
        else if (values.csv) process.stdout.write([MERCHANT_CSV_COLUMNS, ...merchantDayCsvRecords(statement)].map(csvLine).join(''));
        else {
          console.log(`merchant ${statement.merchantId}, business day ${statement.businessDate}`);
          for (const t of statement.terminals) {
            console.log(
              `  ${t.terminalId} (Z ${t.zNumber ?? 'open'}): ${t.approvedCount} approved ${formatMinor(t.approvedTotal, t.currency)}, ${t.voidCount} voided ${formatMinor(t.voidTotal, t.currency)}, net ${formatMinor(t.netTotal, t.currency)} ${t.currency}`,
            );
          }
          for (const t of statement.totals)
            console.log(
              `  total ${t.currency}: net ${formatMinor(t.netTotal, t.currency)} (approved ${formatMinor(t.approvedTotal, t.currency)}, voided ${formatMinor(t.voidTotal, t.currency)}, refunded ${formatMinor(t.refundTotal, t.currency)})`,
            );
          if (statement.terminals.length === 0) console.log('  no day held');
        }
        return 0;
      }
      if (what === 'account') {
        if (!values.account || !values.from || !values.to || !DATE.test(values.from) || !DATE.test(values.to)) {
          throw new UsageError(`statement account needs --account, --from and --to (YYYY-MM-DD)\n\n${help}`);
        }
        const statement = await accountStatement(
          db,
          values.account,
          Date.parse(`${values.from}T00:00:00Z`),
          Date.parse(`${values.to}T00:00:00Z`),
        );
        if (values.json) printJson(statement);
        else if (values.csv) process.stdout.write([ACCOUNT_CSV_COLUMNS, ...accountCsvRecords(statement)].map(csvLine).join(''));
        else {
          console.log(`account ${statement.accountId}, ${statement.from} to ${statement.to}`);
          for (const l of statement.lines) {
            const amount = `${l.kind === 'refund' ? '-' : ''}${formatMinor(l.amount, l.currency)} ${l.currency}`;
            const note = l.kind === 'refund' ? `  (refund of ${l.originalTransactionId ?? '?'})` : l.voided ? '  (voided)' : '';
            console.log(`  ${l.recordedAt}  ${l.merchantId}/${l.terminalId}  ${amount}${note}`);
          }
          for (const t of statement.totals)
            console.log(
              `  total ${t.currency}: net ${formatMinor(t.netTotal, t.currency)} (${t.approvedCount} approvals ${formatMinor(t.approvedTotal, t.currency)}, ${t.refundCount} refunds ${formatMinor(t.refundTotal, t.currency)})`,
            );
        }
        return 0;
      }
      throw new UsageError(help);
    });
  });
}
