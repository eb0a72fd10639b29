// Serves the built renderer (out/renderer) at app://cashier/ with the strict CSP on every
// response. Only files inside the renderer folder are served, after resolving symlinks; any
// other path is a 404. The scheme is registered as privileged before the app is ready.
import { readFile, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { protocol } from 'electron';
import { APP_SCHEME, isInside, resolveAppPath, responseHeaders } from './security';
import type { Logger } from '../app/logger';

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export function serveRenderer(rendererDir: string, logger: Logger): void {
  // Inside a packaged app the folder is in app.asar, where there are no symlinks to follow.
  const rootPromise = realpath(rendererDir).catch(() => resolve(rendererDir));
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const root = await rootPromise;
    const target = resolveAppPath(root, request.url);
    if (!target) {
      logger.warn('protocol.refused', { url: request.url });
      return notFound();
    }
    try {
      const real = await realpath(target).catch(() => target);
      if (!isInside(root, real)) {
        logger.warn('protocol.refused', { url: request.url });
        return notFound();
      }
      const body = await readFile(real);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: responseHeaders(real) });
    } catch {
      return notFound();
    }
  });
}
