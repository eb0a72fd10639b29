// The desktop services the IPC handlers need (Platform in src-main/ipc/handlers.ts), done with
// Electron: native dialogs attached to the cashier window, and receipt printing from a hidden,
// script-less window to the chosen printer or through the system print dialog.
import { readFile, stat } from 'node:fs/promises';
import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron';
import { MAX_DOCUMENT_BYTES, type Platform, type TextDocumentKind } from '../ipc/services';
import type { Logger } from '../app/logger';
import { QR_MM, receiptHtml } from './receipt-page';

const DOCUMENT_DIALOG: Record<TextDocumentKind, { title: string; filters: { name: string; extensions: string[] }[] }> = {
  'trust-entry': { title: 'Import a credit authority key', filters: [{ name: 'Trust-store entry', extensions: ['json'] }] },
  'revocation-list': { title: 'Import a revocation list', filters: [{ name: 'Revocation list', extensions: ['json'] }] },
};

export function createElectronPlatform(getWindow: () => BrowserWindow | undefined, logger: Logger): Platform {
  const log = logger.child('platform');

  async function open(options: OpenDialogOptions): Promise<string | undefined> {
    const parent = getWindow();
    const result = parent && !parent.isDestroyed() ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  }

  return {
    chooseExportFolder(defaultPath) {
      return open({
        title: 'Export the business day to…',
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
        ...(defaultPath ? { defaultPath } : {}),
      });
    },

    async openTextDocument(kind) {
      const path = await open({ ...DOCUMENT_DIALOG[kind], properties: ['openFile'] });
      if (path === undefined) return undefined;
      const info = await stat(path);
      if (!info.isFile() || info.size > MAX_DOCUMENT_BYTES) {
        throw new Error(`${path} is not a file of at most ${MAX_DOCUMENT_BYTES} bytes`);
      }
      return readFile(path, 'utf8');
    },

    async print({ lines, paperWidth, printerName, title, qr }) {
      const printWindow = new BrowserWindow({
        show: false,
        width: 400,
        height: 600,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webviewTag: false },
      });
      try {
        await printWindow.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(receiptHtml(lines, paperWidth, title, qr))}`);
        const silent = printerName !== undefined;
        return await new Promise((resolve) => {
          printWindow.webContents.print(
            {
              silent,
              ...(silent ? { deviceName: printerName } : {}),
              printBackground: false,
              margins: { marginType: 'none' },
              // Receipt rolls: the page is as wide as the paper and as tall as the lines need (microns).
              pageSize: {
                width: paperWidth * 1000,
                height: Math.max(100_000, lines.length * 4_200 + 10_000 + (qr ? (QR_MM + 8) * 1000 : 0)),
              },
            },
            (printed, failureReason) => {
              if (!printed) log.warn('print.failed', { printer: printerName, failureReason });
              resolve(
                printed
                  ? { printed: true, ...(printerName ? { deviceName: printerName } : {}) }
                  : { printed: false, failure: failureReason || 'not printed' },
              );
            },
          );
        });
      } catch (error) {
        log.error('print.error', { error });
        return { printed: false, failure: (error as Error).message };
      } finally {
        if (!printWindow.isDestroyed()) printWindow.destroy();
      }
    },

    async listPrinters() {
      const window = getWindow();
      if (!window || window.isDestroyed()) return [];
      const printers = await window.webContents.getPrintersAsync();
      return printers.map((p) => p.name);
    },
  };
}
