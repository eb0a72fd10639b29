// The database port: the few things the settlement service asks of PostgreSQL, answered by
// node-postgres for a real server (db/pg.ts) and by PGlite for the embedded default
// (db/pglite.ts), with the same SQL. Queries are parameterised ($1, $2 ...); the SQL text is
// always a constant of this code.

export interface Queryable {
  /** Rows of one parameterised statement. int8 and numeric come back as numbers, date as 'YYYY-MM-DD'. */
  query: <Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => Promise<Row[]>;
  /**
   * Bulk load: `copySql` is `COPY table (columns) FROM STDIN`; `lines` yields chunks of COPY
   * text-format lines (tab-separated, newline-terminated, escaped with copyText()).
   */
  copyIn: (copySql: string, lines: AsyncIterable<string>) => Promise<void>;
}

export type Engine = 'postgres' | 'pglite';

export interface Database extends Queryable {
  readonly engine: Engine;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL type oids whose text form both adapters parse the same way. */
export const OID = { int8: 20, numeric: 1700, date: 1082 } as const;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${text} is beyond 2^53`);
  return value;
}

export function parseNumeric(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))
    throw new RangeError(`number ${text} is beyond 2^53`);
  return value;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;

/** One value in COPY's text format: \N for null, backslash escapes for the characters COPY reads specially. */
export function copyText(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  // Most values (ids, hashes, JSONL lines) hold none of these: testing first spares the replace.
  if (!SPECIAL.test(value)) return value;
  return value.replace(SPECIALS, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
