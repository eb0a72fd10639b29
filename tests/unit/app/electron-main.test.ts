// The Electron main process cannot start here (no Electron binary), so this runs the real
// main-process code, bundled like electron-vite bundles it, under plain Node with a stand-in
// for the `electron` module (fixtures/fake-electron.mjs) that only records what main asks for.
// What is checked is our glue: window options, which IPC senders get answers, what app://
// serves, what is refused, and a clean shutdown. Electron's own behaviour is not simulated.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/security';
import { REQUEST_NAMES, requestChannel } from '../../../src-main/ipc/contract';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface Envelope {
  ok: boolean;
  value?: Record<string, unknown>;
  error?: { code: string };
}
interface AppResponse {
  status: number;
  csp: string | null;
  body?: string;
}
interface DriveResult {
  calls: unknown[][];
  webPreferences: Record<string, unknown>;
  kiosk: boolean;
  loadedUrl: string;
  channels: string[];
  ipc: Record<'top' | 'subframe' | 'foreign' | 'otherContents' | 'badArgument', Envelope>;
  protocol: Record<'index' | 'asset' | 'encodedTraversal' | 'symlinkOut' | 'otherHost' | 'missing', AppResponse>;
  refusals: {
    https: boolean;
    permission: boolean;
    permissionCheck: boolean;
    navigate: boolean;
    webview: boolean;
    windowOpen: { action: string };
  };
  exit?: unknown[];
}

let work: string;
let result: DriveResult;

beforeAll(async () => {
  // Inside the repository so the bundle resolves better-sqlite3 and nfc-pcsc from node_modules.
  mkdirSync(join(root, 'test-results'), { recursive: true });
  work = mkdtempSync(join(root, 'test-results', 'electron-main-'));
  await build({
    entryPoints: { index: join(root, 'src-main/electron/index.ts') },
    outdir: join(work, 'main'),
    // Like electron-vite: the terminal and handlers become chunks main loads after start-up.
    splitting: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Like electron-vite's externalized dependencies: qrcode is CommonJS that requires fs itself.
    external: ['electron', 'better-sqlite3', 'nfc-pcsc', '@pokusew/pcsclite', 'qrcode'],
    logLevel: 'silent',
  });
  // The renderer folder next to main, as electron-vite lays it out, and a file outside it.
  mkdirSync(join(work, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(work, 'renderer', 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(work, 'renderer', 'assets', 'app.js'), 'export {};');
  writeFileSync(join(work, 'secret.txt'), 'not for the renderer');
  symlinkSync(join(work, 'secret.txt'), join(work, 'renderer', 'link.txt'));

  result = driveMain(join(work, 'data')) as DriveResult;
}, 120_000);

/** Runs the bundle against the stand-in with `dataDir` as CASHIER_DATA_DIR; returns the driver's report. */
function driveMain(dataDir: string): unknown {
  const run = spawnSync(process.execPath, [join(fixtures, 'drive-main.mjs'), join(work, 'main', 'index.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CASHIER_DATA_DIR: dataDir, CASHIER_READER: 'stub', FAKE_USER_DATA: join(work, 'user-data') },
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
  if (!line) throw new Error(`main did not run:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(line.slice('@@RESULT@@'.length));
}

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Electron main process (bundled, against a recording stand-in for electron)', () => {
  it('sets up before ready: privileged app scheme, sandbox, single-instance lock, data folder', () => {
    const names = result.calls.map((c) => c[0]);
    expect(names).toEqual(
      expect.arrayContaining(['registerSchemesAsPrivileged', 'enableSandbox', 'requestSingleInstanceLock', 'protocol.handle']),
    );
    expect(result.calls).toContainEqual(['setPath', 'userData', join(work, 'data')]);
    expect(result.calls).toContainEqual(['setPath', 'sessionData', join(work, 'data', 'chromium')]);
  });

  it('opens one locked-down window on the app URL', () => {
    expect(result.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(String(result.webPreferences.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(result.loadedUrl).toBe('app://cashier/index.html');
    expect(result.kiosk).toBe(false);
  });

  it('registers a handler for every request of the contract', () => {
    expect(result.channels).toEqual(REQUEST_NAMES.map(requestChannel).sort());
  });

  it('answers only the window’s top-level frame on the app origin, and validates arguments', () => {
    expect(result.ipc.top).toMatchObject({ ok: true, value: { setupComplete: false, readerKind: 'stub' } });
    for (const refused of [result.ipc.subframe, result.ipc.foreign, result.ipc.otherContents]) {
      expect(refused).toMatchObject({ ok: false, error: { code: 'not_available' } });
    }
    expect(result.ipc.badArgument).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('serves the renderer folder with the CSP and nothing outside it', () => {
    expect(result.protocol.index).toMatchObject({ status: 200, csp: CONTENT_SECURITY_POLICY });
    expect(result.protocol.index.body).toContain('./assets/app.js');
    expect(result.protocol.asset).toMatchObject({ status: 200, body: 'export {};' });
    for (const refused of ['encodedTraversal', 'symlinkOut', 'otherHost', 'missing'] as const) {
      expect(result.protocol[refused].status, refused).toBe(404);
      expect(result.protocol[refused].body).toBeUndefined();
    }
  });

  it('refuses network requests, permissions, navigation, webviews and new windows', () => {
    expect(result.refusals).toEqual({
      https: true,
      permission: false,
      permissionCheck: false,
      navigate: true,
      webview: true,
      windowOpen: { action: 'deny' },
    });
  });

  it('closes the terminal and exits cleanly on quit', () => {
    expect(result.exit).toEqual(['exit', 0]);
  });

  it('refuses to start on a corrupt data folder: error dialog naming the file, exit 1, file untouched', () => {
    const dataDir = join(work, 'corrupt');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'settings.json'), '{ "version": 1,');
    const refused = driveMain(dataDir) as { calls: unknown[][]; windows: number; channels: string[] };
    expect(refused.windows).toBe(0);
    expect(refused.channels).toEqual([]);
    const errorBox = refused.calls.find((c) => c[0] === 'showErrorBox');
    expect(errorBox?.[1]).toBe('The cashier cannot start');
    expect(String(errorBox?.[2])).toContain(join(dataDir, 'settings.json'));
    expect(refused.calls).toContainEqual(['exit', 1]);
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe('{ "version": 1,');
  });
});
