// Platform (native dialogs, printer) for the Chromium harness and the browser preview, where
// there is no Electron: the export "dialog" answers a folder chosen by the test (or the
// preview's exports folder), "open file" answers text the test provides, and printing records
// the job and writes it as a text file, so a spec can check exactly what would have printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Platform, PrintJob, TextDocumentKind } from '../../src-main/ipc/handlers';

export interface HarnessPlatform extends Platform {
  /** Folder the export dialog answers; undefined = the manager cancels. */
  exportDir: string | undefined;
  /** Text the next open-file dialog of each kind answers; undefined = cancelled. */
  readonly documents: Partial<Record<TextDocumentKind, string | undefined>>;
  /** Every print job, in order. */
  readonly printed: PrintJob[];
}

export function createHarnessPlatform(options: { exportDir?: string; printDir?: string }): HarnessPlatform {
  const printed: PrintJob[] = [];
  const platform: HarnessPlatform = {
    exportDir: options.exportDir,
    documents: {},
    printed,
    async chooseExportFolder() {
      if (platform.exportDir) mkdirSync(platform.exportDir, { recursive: true });
      return platform.exportDir;
    },
    async openTextDocument(kind) {
      const text = platform.documents[kind];
      delete platform.documents[kind];
      return text;
    },
    async print(job) {
      printed.push(job);
      if (!options.printDir) return { printed: true, deviceName: 'harness' };
      mkdirSync(options.printDir, { recursive: true });
      const file = path.join(options.printDir, `receipt-${printed.length}.txt`);
      writeFileSync(file, `${job.lines.join('\n')}\n`);
      return { printed: true, deviceName: `file ${file}` };
    },
    async listPrinters() {
      return options.printDir ? [] : ['harness'];
    },
  };
  return platform;
}
