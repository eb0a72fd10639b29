// The HTTP API over real loopback HTTP on a free port, against the real database (PGlite, and a
// throwaway PostgreSQL cluster where Debian's server is installed) and days exported by real
// terminals (the demo world: real wallets, sessions, ledgers and signed exports). Uploads go
// through the terminal's own client (src-main/export/send-day.ts), so both ends of the wire
// are the shipped code.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDay, type SendDayOutcome } from '../../../src-main/export/send-day';
import { openSettlementDatabase } from '../../../src-settlement/db/open';
import type { Database } from '../../../src-settlement/db/port';
import { buildDemoWorld, type DemoWorld } from '../../../src-settlement/demo/demo-world';
import { createSettlementServer } from '../../../src-settlement/http/server';
import { addAuthorityKey } from '../../../src-settlement/store/authorities';
import { enrolTerminal } from '../../../src-settlement/store/terminals';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../../support/postgres';
import { dayFiles, multipartBody } from './upload-helpers';

const TOKEN = 'operator-token-for-tests-0123456789';

let world: DemoWorld;
let worldDir: string;
let cluster: PostgresCluster | undefined;

beforeAll(async () => {
  worldDir = mkdtempSync(join(tmpdir(), 'settlement-http-world-'));
  world = await buildDemoWorld(worldDir);
  if (postgresAvailable()) cluster = await startPostgres();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(worldDir, { recursive: true, force: true });
});

const ENGINES = ['pglite', ...(postgresAvailable() ? ['postgres'] : [])] as const;

describe.each(ENGINES)('settlement HTTP API on %s', (engine) => {
  let db: Database;
  let app: FastifyInstance;
  let base: string;
  let uploadDir: string;

  const day = (terminalId: string, date: string) => {
    const found = world.days.find((d) => d.terminalId === terminalId && d.businessDate === date);
    if (!found) throw new Error(`no demo day ${terminalId} ${date}`);
    return found;
  };
  const upload = (terminalId: string, date: string, address = base): Promise<SendDayOutcome> =>
    sendDay({ address, files: dayFiles(day(terminalId, date).folder) });
  const daysHeld = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM days'))[0]?.n);
  const entriesHeld = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM entries'))[0]?.n);
  const operator = (path: string, init: RequestInit = {}, token = TOKEN) =>
    fetch(`${base}${path}`, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` } });
  const terminal = (id: string) => {
    const found = world.terminals.find((t) => t.terminalId === id);
    if (!found) throw new Error(`no demo terminal ${id}`);
    return found;
  };

  beforeAll(async () => {
    const location = engine === 'postgres' && cluster ? await cluster.createDatabase(`http_api_${Date.now()}`) : 'memory://';
    db = await openSettlementDatabase(location);
    for (const entry of world.trustEntries) await addAuthorityKey(db, entry);
    for (const id of ['T-A', 'T-B']) await enrolTerminal(db, terminal(id));
    uploadDir = mkdtempSync(join(tmpdir(), 'settlement-uploads-'));
    app = await createSettlementServer({ db, operatorToken: TOKEN, uploadDir, workers: 1 });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  it('stores an uploaded day; the same upload again is "already held" and writes nothing', async () => {
    const first = await upload('T-A', '2026-11-23');
    expect(first).toMatchObject({ outcome: 'stored', day: { terminalId: 'T-A', merchantId: 'M-100', businessDate: '2026-11-23' } });
    const entries = await entriesHeld();
    expect(entries).toBeGreaterThan(0);
    const replay = await upload('T-A', '2026-11-23');
    expect(replay).toMatchObject({ outcome: 'already_held', day: { terminalId: 'T-A', businessDate: '2026-11-23', findings: 0 } });
    expect(await daysHeld()).toBe(1);
    expect(await entriesHeld()).toBe(entries);
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('refuses a day signed by a key that is not enrolled, with its code, and writes nothing', async () => {
    const before = await daysHeld();
    const refused = await upload('T-C', '2026-11-23');
    expect(refused).toMatchObject({ outcome: 'refused', httpStatus: 403, code: 'UNKNOWN_TERMINAL_KEY' });
    expect(await daysHeld()).toBe(before);
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('operator routes need the bearer token; wrong or missing tokens are UNAUTHORIZED', async () => {
    for (const response of [
      await fetch(`${base}/api/v1/terminals`),
      await operator('/api/v1/terminals', {}, `${TOKEN}x`),
      await operator('/api/v1/terminals', {}, 'short'),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    const listed = await operator('/api/v1/terminals');
    expect(listed.status).toBe(200);
    const { terminals } = (await listed.json()) as {
      terminals: { terminalId: string; lastBusinessDate: string | null; chainHead: string | null }[];
    };
    const manifest = JSON.parse(readFileSync(dayFiles(day('T-A', '2026-11-23').folder).manifest, 'utf8')) as {
      chain: { lastHash: string };
    };
    expect(terminals.find((t) => t.terminalId === 'T-A')).toMatchObject({
      lastBusinessDate: '2026-11-23',
      chainHead: manifest.chain.lastHash,
    });
    expect(terminals.find((t) => t.terminalId === 'T-B')).toMatchObject({ lastBusinessDate: null, chainHead: null });
  });

  it('enrols a terminal over HTTP; malformed JSON and bad fields get their codes', async () => {
    const post = (body: string, type = 'application/json') =>
      operator('/api/v1/terminals', { method: 'POST', body, headers: { 'content-type': type } });
    const malformed = await post('{"keyId": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
    const bad = await post(JSON.stringify({ keyId: 'not-a-key', terminalId: 'T-C', merchantId: 'M-200' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_INPUT' } });
    const text = await post('keyId=x', 'text/plain');
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const enrolled = await post(JSON.stringify(terminal('T-C')));
    expect(enrolled.status).toBe(201);
    expect(await enrolled.json()).toMatchObject({ status: 'enrolled', enrolment: { terminalId: 'T-C', merchantId: 'M-200' } });
    expect((await post(JSON.stringify(terminal('T-C')))).status).toBe(200);
    expect(await upload('T-C', '2026-11-23')).toMatchObject({ outcome: 'stored' });
  });

  it('a cloned phone at a second terminal raises a finding; its evidence file is served', async () => {
    const clone = await upload('T-B', '2026-11-23');
    expect(clone).toMatchObject({ outcome: 'stored' });
    if (clone.outcome !== 'stored') throw new Error('not stored');
    expect(clone.day.findings).toBeGreaterThan(0);
    const listed = await operator('/api/v1/findings?kind=counter_reuse');
    const { findings } = (await listed.json()) as { findings: { id: number; kind: string }[] };
    expect(findings.length).toBeGreaterThan(0);
    const evidence = await operator(`/api/v1/findings/${findings[0]?.id}/evidence`);
    expect(evidence.status).toBe(200);
    expect(evidence.headers.get('content-disposition')).toMatch(/attachment/);
    expect(await evidence.json()).toMatchObject({ kind: 'counter_reuse' });
    const missing = await operator('/api/v1/findings/999999/evidence');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const badKind = await operator('/api/v1/findings?kind=nonsense');
    expect(await badKind.json()).toMatchObject({ error: { code: 'BAD_INPUT' } });
  });

  it('serves statements as JSON and CSV', async () => {
    const json = await operator('/api/v1/statements/merchant/M-100/2026-11-23');
    expect(json.status).toBe(200);
    const statement = (await json.json()) as { merchantId: string; terminals: unknown[] };
    expect(statement).toMatchObject({ merchantId: 'M-100', businessDate: '2026-11-23' });
    expect(statement.terminals).toHaveLength(2);
    const csv = await operator('/api/v1/statements/merchant/M-100/2026-11-23?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split('\n')[0]).toMatch(/^merchant_id,business_date,terminal_id,currency/);
    const account = await operator('/api/v1/statements/account/demo-account-0002?from=2026-11-01&to=2026-12-01');
    expect(account.status).toBe(200);
    expect(((await account.json()) as { lines: unknown[] }).lines.length).toBeGreaterThan(0);
    const backwards = await operator('/api/v1/statements/account/demo-account-0002?from=2026-12-01&to=2026-11-01');
    expect(await backwards.json()).toMatchObject({ error: { code: 'BAD_INPUT' } });
  });

  it('takes a signed revocation list from the operator and hands the newest to terminals', async () => {
    expect(await (await fetch(`${base}/api/v1/revocations/latest`)).json()).toEqual({ revocationLists: [] });
    const unsigned = await operator('/api/v1/revocations', {
      method: 'POST',
      body: JSON.stringify({ ...world.revocationFile, sequence: 99 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(422);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'BAD_REVOCATION_LIST' } });
    const posted = await operator('/api/v1/revocations', {
      method: 'POST',
      body: JSON.stringify(world.revocationFile),
      headers: { 'content-type': 'application/json' },
    });
    expect(posted.status).toBe(201);
    expect(await (await fetch(`${base}/api/v1/revocations/latest`)).json()).toEqual({ revocationLists: [world.revocationFile] });
    const answer = await upload('T-A', '2026-11-24');
    expect(answer).toMatchObject({ outcome: 'stored', revocationLists: [world.revocationFile] });
  });

  it('bad uploads get coded refusals and write nothing: order, parts, type, size, truncation, routes', async () => {
    const before = { days: await daysHeld(), entries: await entriesHeld() };
    const files = dayFiles(day('T-B', '2026-11-24').folder);
    const post = (body: Buffer, type: string) => fetch(`${base}/api/v1/days`, { method: 'POST', body, headers: { 'content-type': type } });

    const swapped = multipartBody([
      ['csv', files.csv],
      ['manifest', files.manifest],
      ['items', files.items],
      ['jsonl', files.jsonl],
    ]);
    let response = await post(swapped.body, swapped.type);
    expect([response.status, await response.json()]).toMatchObject([400, { error: { code: 'BAD_UPLOAD' } }]);

    const short = multipartBody([
      ['manifest', files.manifest],
      ['csv', files.csv],
    ]);
    response = await post(short.body, short.type);
    expect([response.status, await response.json()]).toMatchObject([400, { error: { code: 'BAD_UPLOAD' } }]);

    const notJson = multipartBody([
      ['manifest', Buffer.from('{"terminalKey": ')],
      ['csv', files.csv],
      ['items', files.items],
      ['jsonl', files.jsonl],
    ]);
    response = await post(notJson.body, notJson.type);
    expect([response.status, await response.json()]).toMatchObject([400, { error: { code: 'MALFORMED_JSON' } }]);

    const tampered = readFileSync(files.csv);
    const longer = multipartBody([
      ['manifest', files.manifest],
      ['csv', Buffer.concat([tampered, Buffer.from('extra,row\n')])],
      ['items', files.items],
      ['jsonl', files.jsonl],
    ]);
    response = await post(longer.body, longer.type);
    expect([response.status, await response.json()]).toMatchObject([413, { error: { code: 'PAYLOAD_TOO_LARGE' } }]);

    response = await post(Buffer.from('{}'), 'application/json');
    expect([response.status, await response.json()]).toMatchObject([415, { error: { code: 'NOT_MULTIPART' } }]);

    response = await fetch(`${base}/api/v1/nowhere`);
    expect([response.status, await response.json()]).toMatchObject([404, { error: { code: 'UNKNOWN_ROUTE' } }]);

    // A body cut off mid-upload: the client goes away after half of it.
    const whole = multipartBody([
      ['manifest', files.manifest],
      ['csv', files.csv],
      ['items', files.items],
      ['jsonl', files.jsonl],
    ]);
    await new Promise<void>((done) => {
      const url = new URL(`${base}/api/v1/days`);
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': whole.type, 'content-length': whole.body.length },
      });
      req.on('error', () => done());
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => done());
      });
      req.write(whole.body.subarray(0, Math.floor(whole.body.length / 2)), () => setTimeout(() => req.destroy(), 200));
    });

    expect(await daysHeld()).toBe(before.days);
    expect(await entriesHeld()).toBe(before.entries);
    await expect.poll(() => readdirSync(uploadDir)).toEqual([]);
    // The service is still fine, and the day itself goes in.
    expect(await upload('T-B', '2026-11-24')).toMatchObject({ outcome: 'stored' });
  });

  it('refuses a manifest its enrolled key did not sign from the manifest part alone, before the other parts arrive', async () => {
    const before = { days: await daysHeld(), entries: await entriesHeld() };
    const files = dayFiles(day('T-B', '2026-11-24').folder);
    // The enrolled key's manifest with one signed fact changed: its key id still names T-B.
    const forged = JSON.parse(readFileSync(files.manifest, 'utf8')) as { zNumber: number };
    forged.zNumber += 1;
    const { body, type } = multipartBody([
      ['manifest', Buffer.from(`${JSON.stringify(forged, null, 2)}\n`)],
      ['csv', files.csv],
      ['items', files.items],
      ['jsonl', files.jsonl],
    ]);
    // Only the manifest part and the start of the next one are sent; the rest is held back until the answer.
    const manifestEnd = body.indexOf('name="csv"');
    const answer = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const url = new URL(`${base}/api/v1/days`);
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': type, 'content-length': body.length },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          req.destroy();
        });
      });
      req.write(body.subarray(0, manifestEnd));
    });
    expect(answer).toMatchObject({
      status: 422,
      json: {
        error: {
          code: 'VERIFICATION_FAILED',
          problems: [{ code: 'manifest', detail: 'manifest signature does not verify with the terminal key' }],
        },
      },
    });
    expect(readdirSync(uploadDir)).toEqual([]);
    expect({ days: await daysHeld(), entries: await entriesHeld() }).toEqual(before);
  });

  it('refuses a day over the size limit before writing a file of it', async () => {
    const small = await createSettlementServer({ db, operatorToken: TOKEN, uploadDir, limits: { maxDayBytes: 1024 } });
    const address = await small.listen({ host: '127.0.0.1', port: 0 });
    try {
      const before = await daysHeld();
      expect(await upload('T-C', '2026-11-24', address)).toMatchObject({ outcome: 'refused', httpStatus: 413, code: 'PAYLOAD_TOO_LARGE' });
      expect(await daysHeld()).toBe(before);
      expect(readdirSync(uploadDir)).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('several terminals uploading at once are all stored', async () => {
    const outcomes = await Promise.all([upload('T-C', '2026-11-24'), upload('T-A', '2026-11-25'), upload('T-C', '2026-11-25')]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stored', 'stored']);
    expect(await daysHeld()).toBe(world.days.length);
  });
});
