// The database port over PGlite: PostgreSQL compiled to WebAssembly, in this process, with its
// data in a folder (or in memory for `memory://`). COPY reads from PGlite's /dev/blob, one chunk
// of lines per COPY statement, so memory stays bounded by the chunk.
import { PGlite } from '@electric-sql/pglite';
import { OID, parseInt8, parseNumeric, type Database, type Queryable } from './port';

const parsers = {
  [OID.int8]: parseInt8,
  [OID.numeric]: parseNumeric,
  [OID.date]: (text: string) => text,
};

/** Lines are gathered up to this many characters before one COPY statement sends them. */
const COPY_CHUNK_CHARS = 4 << 20;

interface PgliteLike {
  query<Row>(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: Row[] }>;
}

function queryable(target: PgliteLike): Queryable {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      return (await target.query<Row>(sql, [...params])).rows;
    },
    async copyIn(copySql: string, lines: AsyncIterable<string>): Promise<void> {
      const fromBlob = copySql.replace(/FROM STDIN$/, "FROM '/dev/blob'");
      if (fromBlob === copySql) throw new Error('COPY statement must end with FROM STDIN');
      let parts: string[] = [];
      let size = 0;
      const flush = async (): Promise<void> => {
        if (size === 0) return;
        await target.query(fromBlob, [], { blob: new Blob(parts) });
        parts = [];
        size = 0;
      };
      for await (const chunk of lines) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= COPY_CHUNK_CHARS) await flush();
      }
      await flush();
    },
  };
}

/** `memory://` for a throwaway database, else a folder that holds it (created when missing). */
export async function openPglite(location: string): Promise<Database> {
  const db = await PGlite.create(location === 'memory://' ? undefined : location, { parsers });
  const outside = queryable(db);
  return {
    engine: 'pglite',
    query: outside.query,
    copyIn: outside.copyIn,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(queryable(tx)));
    },
    async close(): Promise<void> {
      await db.close();
    },
  };
}
