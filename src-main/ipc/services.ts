// What the IPC handlers need from the rest of main: the services behind each request
// (IpcServices, built from the terminal by terminal-services.ts), the desktop around the app
// (Platform: native dialogs and the printer), and the one error type services throw on purpose.
import { RefusingError } from '../app/errors';
import type { EventName, EventPayload, IpcErrorCode, ParsedArgs, PinStatus, PrintResult, RequestName, RequestResult } from './contract';

/** A receipt to print, as laid out by the screen. */
export interface PrintJob {
  /** One string per line (32 or 48 columns). */
  lines: string[];
  paperWidth: 58 | 80;
  /** System printer for silent printing; undefined = the system print dialog. */
  printerName?: string;
  /** Document title (print queue, PDF file name). */
  title: string;
  /** The receipt's signed code as a PNG QR image (data: URL), printed under the lines. */
  qr?: string;
}

export type TextDocumentKind = 'trust-entry' | 'revocation-list';

/**
 * What only the desktop around the app can do: native dialogs and the printer. Electron main
 * implements it with dialog and webContents.print; the Chromium harness and the preview answer
 * from the test or write files.
 */
export interface Platform {
  /** Native folder picker for the daily export; undefined when the manager cancels. */
  chooseExportFolder(defaultPath?: string): Promise<string | undefined>;
  /** Native file picker for a trust-store entry or revocation list; its text, undefined on cancel. */
  openTextDocument(kind: TextDocumentKind): Promise<string | undefined>;
  /** Prints silently to `printerName`, or through the system dialog. Never rejects. */
  print(job: PrintJob): Promise<PrintResult>;
  /** Names of the system's printers (settings screen); empty when unknown. */
  listPrinters(): Promise<string[]>;
}

/** Largest trust-store entry or revocation list a file dialog will read. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/** A failure the services raise on purpose, with the code the renderer gets. */
export class IpcServiceError extends RefusingError<IpcErrorCode> {
  override readonly name = 'IpcServiceError';
}

export type PinCheckResult = { result: 'ok' } | { result: 'wrong' } | { result: 'locked' } | { result: 'not-set' };

/** Requests the handlers answer themselves (the manager session lives here). */
export type SessionRequest = 'unlockManager' | 'lockManager' | 'managerSession';
export type ServiceRequest = Exclude<RequestName, SessionRequest>;

/**
 * The services behind the contract, one function per request (arguments already parsed), plus
 * what the access rules and the manager session need. Built from the terminal by
 * `terminalServices` (./terminal-services.ts).
 */
export type IpcServices = {
  [N in ServiceRequest]: (arg: ParsedArgs<N>) => Promise<RequestResult<N>> | RequestResult<N>;
} & {
  setupComplete(): boolean;
  readerKind(): 'pcsc' | 'stub';
  checkPin(pin: string): Promise<PinCheckResult>;
  pinState(): PinStatus;
  /** Subscribes to the service-side events; returns the unsubscribe function. */
  subscribe(emit: <N extends EventName>(name: N, payload: EventPayload<N>) => void): () => void;
};
