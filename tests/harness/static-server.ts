// Serves the built renderer (out/renderer) on 127.0.0.1 for the Chromium harness, with the same
// Content-Security-Policy the Electron window uses. Only files inside the root are served;
// unknown paths without an extension fall back to index.html (client-side routes).
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, mimeType } from '../../src-main/electron/security';

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

function fileAt(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  const resolved = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return undefined;
  try {
    const stat = statSync(resolved);
    if (stat.isFile()) return resolved;
    if (stat.isDirectory()) return fileAt(root, path.posix.join(decoded, 'index.html'));
  } catch {
    if (path.extname(resolved) === '') return path.join(root, 'index.html');
  }
  return undefined;
}

export async function serveStatic(rootDir: string, port = 0): Promise<StaticServer> {
  const root = path.resolve(rootDir);
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    const file = fileAt(root, request.url ?? '/');
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': mimeType(file),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
