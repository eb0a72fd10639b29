// @ts-check
// Packaging: deb + AppImage (Linux) and NSIS (Windows). See docs/packaging.md. It needs the
// network (Electron binaries, NSIS, AppImage tools, native module headers), so it does not
// run on the development machines; tests/unit/app/packaging.test.ts checks this file's rules.

/** Native modules: loaded from outside the asar (dlopen cannot read inside it), rebuilt for Electron's ABI. */
const NATIVE_MODULES = ['better-sqlite3', '@pokusew/pcsclite'];

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.nfc-cashier.terminal',
  productName: 'NFC Cashier',
  executableName: 'nfc-cashier',
  copyright: 'Copyright © NFC Cashier authors',
  directories: { output: 'dist', buildResources: 'build-resources' },
  // electron-vite's output and the production dependencies only; no sources, tests or maps.
  files: [
    'out/**/*',
    'package.json',
    '!out/**/*.map',
    '!**/node_modules/*/{test,tests,__tests__,docs,example,examples}/**',
    '!**/*.{md,ts,map}',
  ],
  extraMetadata: { main: 'out/main/index.js' },
  asar: true,
  asarUnpack: [...NATIVE_MODULES.map((name) => `**/node_modules/${name}/**`), '**/*.node'],
  // @electron/rebuild recompiles the native modules for the Electron ABI of the packaged app.
  npmRebuild: true,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  publish: null,
  linux: {
    target: ['deb', 'AppImage'],
    category: 'Office',
    synopsis: 'Offline NFC credit-payment cashier',
    description: 'Cashier terminal for offline NFC credit payments with a USB PC/SC reader.',
    maintainer: 'NFC Cashier authors <maintainers@nfc-cashier.invalid>',
  },
  deb: {
    // The PC/SC stack the reader needs; pcscd runs as a system service.
    depends: ['libpcsclite1', 'pcscd', 'libnss3', 'libgtk-3-0', 'libxss1', 'libasound2 | libasound2t64'],
    priority: 'optional',
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
  },
  nsis: {
    oneClick: false,
    perMachine: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    // The data folder (ledger, settings, trust store) survives an uninstall: sales are never deleted by it.
    deleteAppDataOnUninstall: false,
    artifactName: '${productName}-Setup-${version}.${ext}',
  },
};

module.exports = config;
