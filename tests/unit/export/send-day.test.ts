// The terminal's upload client against small real HTTP servers on loopback: every way a send can
// end is an outcome (never a throw), and an answer is believed only when it parses as the
// settlement wire says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDay, uploadUrl } from '../../../src-main/export/send-day';

let dir: string;
let files: { manifest: string; csv: string; items: string; jsonl: string };
const servers: Server[] = [];

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'send-day-'));
  files = {
    manifest: join(dir, 'T-2026-11-23.manifest.json'),
    csv: join(dir, 'T.csv'),
    items: join(dir, 'T-items.csv'),
    jsonl: join(dir, 'T.jsonl'),
  };
  for (const [part, path] of Object.entries(files)) writeFileSync(path, `${part} bytes\n`);
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('sendDay', () => {
  it('posts the four parts, manifest first, to <address>/api/v1/days and reads a stored answer', async () => {
    let seen: { url?: string; type?: string; body: string } = { body: '' };
    const address = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen = { url: req.url, type: req.headers['content-type'], body };
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'stored',
            day: { terminalId: 'T', merchantId: 'M', businessDate: '2026-11-23', rows: 3, findings: 1 },
            revocationLists: [{ a: 1 }],
          }),
        );
      });
    });
    const outcome = await sendDay({ address: `${address}/`, files });
    expect(outcome).toEqual({
      outcome: 'stored',
      day: { terminalId: 'T', merchantId: 'M', businessDate: '2026-11-23', rows: 3, findings: 1 },
      revocationLists: [{ a: 1 }],
    });
    expect(seen.url).toBe('/api/v1/days');
    expect(seen.type).toMatch(/^multipart\/form-data; boundary=/);
    const order = [...seen.body.matchAll(/name="([a-z]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['manifest', 'csv', 'items', 'jsonl']);
    expect(seen.body).toContain('manifest bytes');
    expect(uploadUrl('https://s.example/settle//')).toBe('https://s.example/settle/api/v1/days');
  });

  it('a coded refusal is "refused" with the code, message and problems', async () => {
    const address = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { code: 'VERIFICATION_FAILED', message: '1 problem', problems: [{ code: 'chain', detail: 'row 2' }] } }),
        );
      });
    });
    expect(await sendDay({ address, files })).toEqual({
      outcome: 'refused',
      httpStatus: 422,
      code: 'VERIFICATION_FAILED',
      message: '1 problem',
      problems: [{ code: 'chain', detail: 'row 2' }],
    });
  });

  it('an address that answers, but not as the service, is unreachable (not_settlement), whatever its status', async () => {
    for (const [status, body] of [
      [200, '<html>a router login page</html>'],
      [200, JSON.stringify({ status: 'stored' })],
      [404, JSON.stringify({ message: 'not here' })],
    ] as const) {
      const address = await serve((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(status);
          res.end(body);
        });
      });
      expect(await sendDay({ address, files })).toMatchObject({ outcome: 'unreachable', reason: 'not_settlement' });
    }
  });

  it('no server is unreachable (network); a server that never answers is unreachable (timeout)', async () => {
    const closed = await serve(() => undefined);
    const gone = servers.pop();
    gone?.closeAllConnections();
    await new Promise((done) => gone?.close(done));
    expect(await sendDay({ address: closed, files })).toMatchObject({ outcome: 'unreachable', reason: 'network' });
    const silent = await serve((req) => req.resume());
    expect(await sendDay({ address: silent, files, timeoutMs: 300 })).toMatchObject({ outcome: 'unreachable', reason: 'timeout' });
  });
});
