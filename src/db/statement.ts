import { createHash } from 'node:crypto';
import type pg from 'pg';
import { getTableColumns, type Table } from 'drizzle-orm';
import type { DbOrTx } from './index.js';

/**
 * Hot-path queries as named prepared statements straight through `pg`: the one way Tamtam writes
 * them. Declare one at module level with `statement(name, text)` (SQL text, `$1…` parameters,
 * arrays for batches: `unnest($1::int[])`), select columns with `selectList(table)` and map rows
 * with `rowMapper(table)`; every other query uses drizzle's query builder.
 *
 * Building a query with drizzle costs more CPU than running it (about 0.45 ms against 0.2 ms on
 * the project machine), and an unnamed statement is parsed and planned by PostgreSQL every time.
 * The workflow runs a dozen statements per alert, so the steps' queries are written once here as
 * SQL text with a name: each connection parses it once, and rows are mapped with drizzle's own
 * column mappers so callers get the same row types as from drizzle.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/**
 * The `pg` client behind a drizzle handle: the pool for `db`, the transaction's own connection
 * for `tx` (so a statement runs inside the caller's transaction). Relies on drizzle's node-postgres
 * session keeping its client as `session.client`, a private field: drizzle-orm is pinned to an exact
 * version in package.json for this, and test/db/statement.test.ts checks both the pin and the field.
 */
export function clientOf(db: DbOrTx): Queryable {
  const client = (db as unknown as { session?: { client?: Queryable } }).session?.client;
  if (!client || typeof client.query !== 'function') throw new Error('drizzle handle without a pg client: was drizzle upgraded?');
  return client;
}

/**
 * `"snake_col" as "camelKey", …` for every column of a table, optionally qualified by a table
 * alias and with a prefix on the keys (to select two tables' rows side by side).
 */
export function selectList(table: Table, alias?: string, keyPrefix = ''): string {
  const qualifier = alias ? `${alias}.` : '';
  return Object.entries(getTableColumns(table))
    .map(([key, column]) => `${qualifier}"${column.name}" as "${keyPrefix}${key}"`)
    .join(', ');
}

/** Maps a row selected with `selectList` to drizzle's row type (bigint ids to numbers, and so on). */
export function rowMapper<T extends Table>(table: T, keyPrefix = ''): (raw: Record<string, unknown>) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table));
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[keyPrefix + key];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  };
}

/**
 * A named statement: `run(db, values)` returns its raw rows. The name carries a hash of the text,
 * since a connection keeps each name for one text (statements built at run time share a prefix).
 */
export function statement<Row = Record<string, unknown>>(name: string, text: string) {
  const config = { name: `tamtam_${name}_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`, text };
  return async (db: DbOrTx, values: unknown[]): Promise<Row[]> => {
    const result = await clientOf(db).query({ ...config, values });
    return result.rows as Row[];
  };
}
