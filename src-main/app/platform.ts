// What the application needs from the desktop around it: native dialogs and the printer.
// The Electron main process implements it with dialog and webContents.print
// (src-main/electron/platform.ts); the Chromium test harness and the command line provide
// their own. The handlers reach the desktop only through this interface.

export type PaperWidth = 58 | 80;

export interface PrintJob {
  /** The receipt as laid out by the screen, one string per line (32 or 48 columns). */
  lines: string[];
  paperWidth: PaperWidth;
  /** System printer for silent printing; undefined = show the system print dialog. */
  printerName?: string;
  /** Document title (print queue, PDF file name). */
  title: string;
}

export interface PrintOutcome {
  printed: boolean;
  deviceName?: string;
  /** Why nothing was printed: dialog cancelled, printer missing, driver error. */
  failure?: string;
}

export type TextDocumentKind = 'trust-entry' | 'revocation-list';

export interface Platform {
  /** Native folder picker for the daily export; undefined when the manager cancels. */
  chooseExportFolder(defaultPath?: string): Promise<string | undefined>;
  /** Native file picker for a trust-store entry or revocation list; resolves with its text, undefined on cancel. */
  openTextDocument(kind: TextDocumentKind): Promise<string | undefined>;
  /** Prints a receipt silently to `printerName`, or through the system dialog. Never rejects. */
  print(job: PrintJob): Promise<PrintOutcome>;
  /** Names of the system's printers (for the settings screen); empty when unknown. */
  listPrinters(): Promise<string[]>;
}

/** Largest trust-store entry or revocation list a file dialog will read. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
