// The preload's createCashierApi over a transport wired straight to the real handlers (what the
// Chromium harness does over Playwright bindings, and Electron over ipcRenderer/ipcMain).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTerminal, type Terminal } from '../../../src-main/app/terminal';
import { CashierError, EVENT_NAMES, REQUEST_NAMES, eventMethodName, type CashierApi } from '../../../src-main/ipc/contract';
import { parseWireError } from '../../../src-main/ipc/wire-error';
import { createIpcHandlers, type IpcHandlerSet } from '../../../src-main/ipc/handlers';
import { createCashierApi, type CashierTransport } from '../../../src-preload/api';
import { createHarnessPlatform } from '../../harness/platform';

let dataDir: string;
let terminal: Terminal;
let ipc: IpcHandlerSet;
let api: CashierApi;
let listeners: Map<string, Set<(payload: unknown) => void>>;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ipc-preload-'));
  terminal = await createTerminal({ dataDir, readerKind: 'stub', pinKdf: { N: 2 ** 14, r: 8, p: 1, keyLength: 32 }, env: {} });
  ipc = createIpcHandlers(terminal, createHarnessPlatform({}));
  listeners = new Map();
  ipc.onEvent((channel, payload) => {
    for (const listener of listeners.get(channel) ?? []) listener(structuredClone(payload));
  });
  const transport: CashierTransport = {
    // structuredClone: what crosses Electron's IPC is a copy, never a shared object.
    invoke: async (channel, arg) => structuredClone(await ipc.invoke(channel, structuredClone(arg))),
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  api = createCashierApi(transport);
});

afterEach(async () => {
  ipc.close();
  await terminal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('createCashierApi', () => {
  it('exposes one named function per request and one subscription per event, nothing else', () => {
    const expected = [...REQUEST_NAMES, ...EVENT_NAMES.map(eventMethodName)].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).some((k) => k.includes(':'))).toBe(false);
    for (const key of Object.keys(api)) expect(typeof (api as unknown as Record<string, unknown>)[key]).toBe('function');
  });

  it('resolves with main’s value and rejects with a CashierError carrying the code', async () => {
    expect(await api.appState()).toMatchObject({ setupComplete: false, readerKind: 'stub' });
    const error = await api.startPayment({ amount: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CashierError);
    expect((error as CashierError).code).toBe('invalid_argument');
    // Only the message survives Electron's contextBridge: the code is read back from it.
    expect(parseWireError(new Error((error as Error).message)).code).toBe('invalid_argument');
    expect(parseWireError(new Error('something else')).code).toBe('unknown');
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const seen: string[] = [];
    const off = api.onAppState((state) => seen.push(state.language));
    await api.setLanguage({ language: 'zh-CN' });
    off();
    await api.setLanguage({ language: 'en' });
    expect(seen).toEqual(['zh-CN']);
    expect(() => (api.onDecision as (l: unknown) => unknown)('not a function')).toThrow(TypeError);
  });
});
