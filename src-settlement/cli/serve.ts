// `settlement serve`: the HTTP API and the desk's web page (src-settlement/http/server.ts) on
// one address, until SIGINT or SIGTERM. The operator token comes from a file or the
// environment, never from the command line (where `ps` would show it).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_UPLOAD_LIMITS } from '../http/upload-day';
import { createSettlementServer } from '../http/server';
import { checkOperatorToken } from '../http/operator-auth';
import { openSettlementDatabase } from '../db/open';
import { COMMON_OPTIONS, UsageError, command, location } from './options';

export const DEFAULT_PORT = 8440;
/** Where `npm run build:desk` puts the desk page. */
export const DEFAULT_DESK_DIR = resolve(import.meta.dirname, '../../out/desk');

export const help = `usage: npm run settlement -- serve [--db LOCATION] [--host H] [--port P] [--token-file FILE]
                                [--upload-dir DIR] [--max-day-bytes N] [--desk DIR | --no-desk] [--json]

Serves the HTTP API (docs/settlement.md, "HTTP API") and the settlement desk's page at /desk/.
  --host            address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port            TCP port (default ${DEFAULT_PORT}; 0 = a free port, printed at start)
  --token-file      file holding the operator token (default: $SETTLEMENT_OPERATOR_TOKEN);
                    at least 24 characters, e.g. \`openssl rand -hex 32\`
  --upload-dir      where uploads are streamed before ingest (default: the temporary folder)
  --max-day-bytes   largest day taken, its three files together (default ${DEFAULT_UPLOAD_LIMITS.maxDayBytes})
  --desk            the built desk page (default out/desk, from \`npm run build:desk\`)
Prints one line when it listens ({"url": ...} with --json).`;

function operatorToken(file: string | undefined): string {
  const token = file === undefined ? process.env.SETTLEMENT_OPERATOR_TOKEN : readFileSync(file, 'utf8').trim();
  if (!token) throw new UsageError(`serve needs the operator token: --token-file FILE or SETTLEMENT_OPERATOR_TOKEN\n\n${help}`);
  try {
    return checkOperatorToken(token);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function integer(text: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return value;
}

export async function run(args: string[]): Promise<number> {
  return command(help, async () => {
    const { values } = parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string' },
        'token-file': { type: 'string' },
        'upload-dir': { type: 'string' },
        'max-day-bytes': { type: 'string' },
        desk: { type: 'string' },
        'no-desk': { type: 'boolean', default: false },
      },
      strict: true,
    });
    const token = operatorToken(values['token-file']);
    const port = integer(values.port, 'port', 0, 65_535, DEFAULT_PORT);
    const maxDayBytes = integer(values['max-day-bytes'], 'max-day-bytes', 1, Number.MAX_SAFE_INTEGER, DEFAULT_UPLOAD_LIMITS.maxDayBytes);
    const deskDir = values['no-desk'] ? undefined : (values.desk ?? (existsSync(DEFAULT_DESK_DIR) ? DEFAULT_DESK_DIR : undefined));
    const db = await openSettlementDatabase(location(values.db));
    const app = await createSettlementServer({
      db,
      operatorToken: token,
      limits: { maxDayBytes },
      ...(values['upload-dir'] ? { uploadDir: values['upload-dir'] } : {}),
      ...(deskDir ? { deskDir } : {}),
      logger: { level: 'info' },
    });
    const url = await app.listen({ host: values.host, port });
    console.log(
      values.json
        ? JSON.stringify({ url, engine: db.engine, desk: deskDir !== undefined })
        : `settlement service listening on ${url} (${db.engine})${deskDir ? `, desk page at ${url}/desk/` : ''}`,
    );
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    await db.close();
    return 0;
  });
}
