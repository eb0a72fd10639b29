// Builds `window.cashier` from a minimal transport. The same factory runs in the Electron
// preload (over ipcRenderer) and in the Chromium test harness (over Playwright bindings), so
// the UI tests exercise the code users run. Channel strings stay in here: the renderer sees
// named functions only.
import {
  CashierError,
  EVENT_NAMES,
  REQUEST_NAMES,
  eventChannel,
  eventMethodName,
  requestChannel,
  type CashierApi,
  type IpcEnvelope,
  type IpcFailure,
  type RequestName,
} from '../src-main/ipc/contract';

export interface CashierTransport {
  /** Sends one request and resolves with main's envelope. */
  invoke(channel: string, arg: unknown): Promise<unknown>;
  /** Delivers every event sent on `channel`; returns the unsubscribe function. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

function isEnvelope(value: unknown): value is IpcEnvelope<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

function unwrap(name: RequestName, envelope: unknown): unknown {
  if (!isEnvelope(envelope)) {
    throw new CashierError({ code: 'internal', message: `${name}: main answered outside the contract` });
  }
  if (envelope.ok) return envelope.value;
  const failure: IpcFailure = envelope.error;
  throw new CashierError(failure);
}

export function createCashierApi(transport: CashierTransport): CashierApi {
  const api: Record<string, unknown> = {};
  for (const name of REQUEST_NAMES) {
    const channel = requestChannel(name);
    api[name] = async (arg?: unknown) => unwrap(name, await transport.invoke(channel, arg));
  }
  for (const name of EVENT_NAMES) {
    const channel = eventChannel(name);
    api[eventMethodName(name)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${eventMethodName(name)} needs a listener function`);
      let active = true;
      const off = transport.subscribe(channel, (payload) => {
        if (active) listener(payload);
      });
      return () => {
        active = false;
        off();
      };
    };
  }
  return Object.freeze(api) as unknown as CashierApi;
}
