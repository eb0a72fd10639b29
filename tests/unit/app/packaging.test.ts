// electron-builder cannot run here (it downloads Electron): these checks keep its
// configuration type-correct and its security rules in place.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = createRequire(import.meta.url)('../../../electron-builder.config.cjs') as Configuration;

describe('electron-builder configuration', () => {
  it('type-checks against electron-builder’s own Configuration type', () => {
    const tsc = spawnSync(
      process.execPath,
      [
        'node_modules/typescript/bin/tsc',
        '--noEmit',
        '--allowJs',
        '--checkJs',
        '--skipLibCheck',
        '--module',
        'commonjs',
        '--moduleResolution',
        'node',
        '--target',
        'es2022',
        '--types',
        'node',
        'electron-builder.config.cjs',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);

  it('builds deb and AppImage for Linux and NSIS for Windows', () => {
    expect(config.linux?.target).toEqual(['deb', 'AppImage']);
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.extraMetadata).toMatchObject({ main: 'out/main/index.js' });
  });

  it('unpacks the native modules from the asar and rebuilds them for Electron', () => {
    expect(config.asar).toBe(true);
    const unpack = config.asarUnpack as string[];
    expect(unpack).toEqual(
      expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/@pokusew/pcsclite/**', '**/*.node']),
    );
    expect(config.npmRebuild).toBe(true);
  });

  it('sets the fuses: no run-as-node, no NODE_OPTIONS, no inspector, app only from the asar, encrypted cookies', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
