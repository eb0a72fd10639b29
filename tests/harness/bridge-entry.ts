// Runs in the page before the renderer (Playwright init script): builds `window.cashier` with
// the preload's own createCashierApi over Playwright bindings instead of ipcRenderer. Bundled
// by bridge.ts with esbuild; never imported by Node code.
import { createCashierApi, type CashierTransport } from '../../src-preload/api';

type Listener = (payload: unknown) => void;

interface BridgeWindow {
  __cashierInvoke?: (channel: string, arg: unknown) => Promise<unknown>;
  __cashierEmit?: (channel: string, payload: unknown) => void;
  cashier?: unknown;
}

const w = globalThis as unknown as BridgeWindow;
const listeners = new Map<string, Set<Listener>>();

const bindingTransport: CashierTransport = {
  invoke(channel, arg) {
    const invoke = w.__cashierInvoke;
    if (!invoke) return Promise.reject(new Error('[internal] the test harness binding is missing'));
    return invoke(channel, arg);
  },
  subscribe(channel, listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
};

// The harness pushes events with page.evaluate(); like ipcRenderer.on, a throwing listener
// does not stop the others.
Object.defineProperty(w, '__cashierEmit', {
  value: (channel: string, payload: unknown) => {
    for (const listener of [...(listeners.get(channel) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(error);
      }
    }
  },
});

// Like contextBridge.exposeInMainWorld: a read-only property the page cannot replace.
Object.defineProperty(w, 'cashier', { value: createCashierApi(bindingTransport), enumerable: true });
