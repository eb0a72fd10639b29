#!/usr/bin/env node
// `npm start`: runs the cashier the best way this machine allows, and says which.
// - With the Electron binary installed (node_modules/electron/dist): builds and runs the
//   desktop app (electron-vite preview).
// - Without it (e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1): builds the renderer and
//   runs the browser preview (`npm run preview:web`): the same screens in Chromium, with the
//   real main-process services in Node behind the same IPC contract; it uses a PC/SC reader
//   when one is connected and the simulated phone (demo mode) otherwise.
// Extra arguments are passed on (e.g. `npm start -- --reader stub`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronDist = path.join(root, 'node_modules', 'electron', 'dist');
const extra = process.argv.slice(2);

function run(command, args) {
  console.log(`[start] ${command} ${args.join(' ')}`);
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (existsSync(electronDist)) {
  console.log('[start] Electron binary found: building and starting the desktop app.');
  run('npx', ['electron-vite', 'preview', ...extra]);
} else {
  console.log(`[start] No Electron binary (${path.relative(root, electronDist)} is missing; it cannot be downloaded here).`);
  console.log('[start] Starting the browser preview instead: same screens in Chromium, real services in Node.');
  run('npx', ['tsx', 'tests/harness/preview-web.ts', ...extra]);
}
