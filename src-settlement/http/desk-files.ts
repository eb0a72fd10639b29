// The settlement desk's web page (built by Vite into out/desk) served under /desk/. The few
// files are read once at start-up into a table keyed by their path, so a request can only ever
// name one of them (no path is joined from the URL), and each goes out with a strict CSP.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { HttpRefusal } from './http-errors';

export const DESK_PREFIX = '/desk/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function walk(dir: string, root: string, files: Map<string, { bytes: Buffer; type: string }>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, root, files);
    else if (!name.endsWith('.map')) {
      files.set(relative(root, path).split(sep).join('/'), {
        bytes: readFileSync(path),
        type: TYPES[extname(name)] ?? 'application/octet-stream',
      });
    }
  }
}

export function registerDesk(app: FastifyInstance, deskDir: string): void {
  const files = new Map<string, { bytes: Buffer; type: string }>();
  walk(deskDir, deskDir, files);
  if (!files.has('index.html')) throw new Error(`${deskDir} holds no index.html: build the desk page first (npm run build:desk)`);
  app.get('/', async (_request, reply) => reply.redirect(DESK_PREFIX));
  app.get('/desk', async (_request, reply) => reply.redirect(DESK_PREFIX));
  app.get(`${DESK_PREFIX}*`, async (request, reply) => {
    const wanted = request.url.slice(DESK_PREFIX.length).split('?')[0] || 'index.html';
    const file = files.get(wanted);
    if (!file) throw new HttpRefusal(404, 'UNKNOWN_ROUTE', `no desk file ${wanted}`);
    return reply
      .type(file.type)
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', wanted === 'index.html' ? 'no-cache' : 'public, max-age=3600')
      .send(file.bytes);
  });
}
