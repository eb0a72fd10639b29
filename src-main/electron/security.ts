// Decisions of the Electron glue that need no Electron: which URL is the app, which file an
// app:// URL may serve, the Content-Security-Policy. Kept apart so they are unit-tested under
// plain Node (tests/unit/app/electron-security.test.ts).
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'cashier';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The renderer's policy: its own scripts and styles only, no eval, no inline script, nothing
 * remote. React sets styles through the CSSOM, which CSP does not restrict, so 'unsafe-inline'
 * is not needed for styles either. Sounds are generated with WebAudio (no media source).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "worker-src 'none'",
  "frame-src 'none'",
  "child-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
  "base-uri 'none'",
].join('; ');

/** True when `url` is a page of the app itself (app://cashier/... or the dev server during `electron-vite dev`). */
export function isAppUrl(url: string, devServerOrigin?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // WHATWG URL gives non-special schemes the origin "null": compare scheme and host instead.
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '') return true;
  return devServerOrigin !== undefined && parsed.origin === devServerOrigin;
}

/**
 * The file under `root` that an app:// request names, or undefined when it is not the app's
 * host or would leave `root` (../, encoded %2e%2e or %2f, backslashes, NUL, absolute paths).
 * "/" maps to index.html. The caller still resolves symlinks and compares again.
 */
export function resolveAppPath(root: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  if (path === '' || path === '/') path = '/index.html';
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  const base = resolve(root);
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return undefined;
  return target;
}

/** True when `candidate` (already resolved through symlinks) is inside `root` (also resolved). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers of every app:// response. */
export function responseHeaders(path: string): Record<string, string> {
  return {
    'content-type': mimeType(path),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
}

/** The data folder: CASHIER_DATA_DIR when set, else the Electron userData folder. */
export function resolveDataDir(env: NodeJS.ProcessEnv, userData: string): string {
  const fromEnv = env.CASHIER_DATA_DIR?.trim();
  return fromEnv ? resolve(fromEnv) : userData;
}
