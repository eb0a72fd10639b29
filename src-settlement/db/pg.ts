// The database port over node-postgres (a PostgreSQL server): a pool, transactions on one
// client, COPY FROM STDIN through pg-copy-streams.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { OID, parseInt8, parseNumeric, type Database, type Queryable } from './port';

const parsers: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: parseNumeric,
  [OID.date]: (text) => text,
};

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await client.query<Row>(sql, [...params]);
      return result.rows;
    },
    async copyIn(copySql: string, lines: AsyncIterable<string>): Promise<void> {
      if (!('release' in client)) throw new Error('COPY needs a transaction');
      // One chunk read ahead at most (Readable.from's default is 16: 16 MB of a day held at once).
      await pipeline(Readable.from(lines, { highWaterMark: 1 }), client.query(copyFrom(copySql)));
    },
  };
}

export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString,
    types,
    max: options.max ?? 4,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client whose server went away must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const outside = queryable(pool);
  await outside.query('SELECT 1');
  return {
    engine: 'postgres',
    query: outside.query,
    copyIn: outside.copyIn,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
