// Child of anchors.test.ts: exports a business day and kills itself with SIGKILL the moment the
// new set is complete in the staging folder, before it replaces the folder's previous export.
import { exportBusinessDay } from '../../../src-main/export/export-day';
import { loadOrCreateTerminalKey } from '../../../src-main/export/terminal-key';

const [ledgerPath, keyDir, outDir, businessDate] = process.argv.slice(2) as [string, string, string, string];
await exportBusinessDay({
  ledgerPath,
  businessDate,
  outDir,
  terminalKey: loadOrCreateTerminalKey(keyDir),
  terminalId: 'T-0001',
  merchantId: 'M-42',
  timeZone: 'Asia/Shanghai',
  onStaged: () => process.kill(process.pid, 'SIGKILL'),
});
console.log('not killed');
