import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { advisoryLocks } from './locks.js';
import * as schema from './schema/index.js';

export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** A database handle or an open transaction: query functions accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Serialises migrations when several processes start at once. */
const MIGRATION_LOCK = advisoryLocks.migrations;

export interface ConnectOptions {
  /** Pool size. Default 10. */
  max?: number;
  /** Told of connection errors (a lost or refused server); by default they are ignored. */
  onError?: (error: Error) => void;
}

export function connectDatabase(url: string, { max = 10, onError = () => {} }: ConnectOptions = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'tamtam' });
  // A client losing its server must not crash the process, idle (the pool replaces it) or checked
  // out between two queries (pg would throw an unhandled 'error' event): both are reported.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

/** Applies the committed drizzle-kit migrations, one process at a time. */
export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client, { schema }), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
