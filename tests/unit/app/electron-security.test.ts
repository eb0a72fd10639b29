// The Electron glue's decisions that need no Electron: app URLs, the file an app:// URL may
// serve, the CSP, the receipt print page. (Tests never load 'electron'.)
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isInside,
  resolveAppPath,
  resolveDataDir,
  responseHeaders,
} from '../../../src-main/electron/security';
import { paperLayout, receiptHtml } from '../../../src-main/electron/receipt-page';
import { tempDataDir } from './helpers';

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

describe('app:// URLs', () => {
  it('recognises only the app itself (and the dev server when one is given)', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://cashier/assets/index.js')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@cashier/index.html')).toBe(false);
    expect(isAppUrl('https://cashier/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAppUrl('http://localhost:5173/', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });

  it('maps paths inside the renderer folder and refuses every way out', () => {
    const root = join(data.dir, 'renderer');
    expect(resolveAppPath(root, 'app://cashier/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://cashier/assets/app-1.js?v=2#x')).toBe(join(root, 'assets', 'app-1.js'));
    // The URL parser already folds dot segments, so these can only reach root/secret.
    for (const url of ['app://cashier/../secret', 'app://cashier/%2e%2e/secret', 'app://cashier/assets/%2e%2e/%2e%2e/secret']) {
      expect(resolveAppPath(root, url), url).toBe(join(root, 'secret'));
    }
    // Encoded separators survive the parser and are refused after decoding.
    for (const url of [
      'app://cashier/..%2fsecret',
      'app://cashier/assets/..%2f..%2fsecret',
      'app://cashier/..%5csecret',
      'app://cashier/%00index.html',
      'app://cashier/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
    ]) {
      expect(resolveAppPath(root, url), url).toBeUndefined();
    }
  });

  it('tells a symlink that leads outside the folder from a file inside it', () => {
    const root = join(data.dir, 'renderer');
    mkdirSync(root);
    writeFileSync(join(data.dir, 'secret.txt'), 'x');
    writeFileSync(join(root, 'index.html'), 'ok');
    symlinkSync(join(data.dir, 'secret.txt'), join(root, 'link.txt'));
    const realRoot = realpathSync(root);
    expect(isInside(realRoot, realpathSync(join(root, 'index.html')))).toBe(true);
    expect(isInside(realRoot, realpathSync(join(root, 'link.txt')))).toBe(false);
    expect(isInside(realRoot, realRoot)).toBe(false);
  });

  it('serves every file with a strict CSP: no eval, no inline script, nothing remote', () => {
    const headers = responseHeaders('/x/index.html');
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
    expect(responseHeaders('/x/app.js')['content-type']).toBe('text/javascript; charset=utf-8');
    expect(responseHeaders('/x/unknown.bin')['content-type']).toBe('application/octet-stream');
  });
});

describe('data folder', () => {
  it('is CASHIER_DATA_DIR when set, else the Electron userData folder', () => {
    expect(resolveDataDir({ CASHIER_DATA_DIR: '/srv/cashier' }, '/home/u/.config/x')).toBe('/srv/cashier');
    expect(resolveDataDir({ CASHIER_DATA_DIR: '  ' }, '/home/u/.config/x')).toBe('/home/u/.config/x');
    expect(resolveDataDir({}, '/home/u/.config/x')).toBe('/home/u/.config/x');
  });
});

describe('receipt print page', () => {
  it('fits 32 columns on 58 mm and 48 on 80 mm paper', () => {
    expect(paperLayout(58)).toMatchObject({ columns: 32, printableMm: 48 });
    expect(paperLayout(80)).toMatchObject({ columns: 48, printableMm: 72 });
    expect(paperLayout(58).fontPt).toBeGreaterThan(6);
  });

  it('escapes the lines and carries no script', () => {
    const html = receiptHtml(['<script>alert(1)</script>', 'Tea & "Cake"', 'TOTAL      ¥12.34'], 58, 'Receipt <1>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Tea &amp; &quot;Cake&quot;');
    expect(html).toContain('<title>Receipt &lt;1&gt;</title>');
    expect(html).toContain('size: 58mm auto');
    expect(html).toContain("default-src 'none'");
  });
});
