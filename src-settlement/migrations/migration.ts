// One versioned step of the settlement schema: constant SQL statements run in order, in one
// transaction, identically on PostgreSQL and PGlite. A released migration is never edited.
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}
