// The Electron preload (sandboxed, contextIsolation on): exposes `window.cashier` and nothing
// else. The renderer never sees ipcRenderer, its event objects or channel strings. The only
// preload file that imports Electron.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CashierApi } from '../src-main/ipc/contract';
import { createCashierApi, type CashierTransport } from './api';

const ipcRendererTransport: CashierTransport = {
  invoke: (channel, arg) => ipcRenderer.invoke(channel, arg),
  subscribe(channel, listener) {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('cashier', createCashierApi(ipcRendererTransport) satisfies CashierApi);
