// Binds the contract's handlers to ipcMain. A request is answered only when it comes from the
// cashier window's own top-level frame showing the app (not a subframe, not another window,
// not a page that somehow navigated elsewhere); anything else gets a refusal envelope and a
// log line. Events go to that window only.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { IpcHandlerSet } from '../ipc/handlers';
import type { Logger } from '../app/logger';
import { isAppUrl } from './security';

export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | undefined, devOrigin: string | undefined): boolean {
  if (!window || window.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || event.sender !== window.webContents) return false;
  if (frame !== window.webContents.mainFrame || frame.parent !== null) return false;
  return isAppUrl(frame.url, devOrigin);
}

export function bindIpc(
  handlers: IpcHandlerSet,
  getWindow: () => BrowserWindow | undefined,
  devOrigin: string | undefined,
  logger: Logger,
): () => void {
  const log = logger.child('ipc');
  const channels = [...handlers.handlers.keys()];
  for (const channel of channels) {
    const handler = handlers.handlers.get(channel);
    if (!handler) continue;
    ipcMain.handle(channel, (event, arg: unknown) => {
      if (!isTrustedSender(event, getWindow(), devOrigin)) {
        log.warn('ipc.untrusted-sender', { channel, url: event.senderFrame?.url });
        return { ok: false, error: { code: 'not_available', message: 'requests are answered only for the cashier window' } };
      }
      return handler(arg);
    });
  }
  const stopEvents = handlers.onEvent((channel, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed() && !window.webContents.isDestroyed()) window.webContents.send(channel, payload);
  });
  return () => {
    stopEvents();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
