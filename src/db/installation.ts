import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { installation } from './schema/index.js';
import type { Db } from './index.js';

/**
 * A short key that differs between database incarnations: its installation id (made when the
 * database is first opened, so a new database has a new one) and the database's OID (a restore
 * from a dump goes into a newly created database, with a new OID, though it brings the old
 * installation row along). Stable across restarts of the same database.
 */
export async function databaseIncarnation(db: Db): Promise<string> {
  await db.insert(installation).values({}).onConflictDoNothing();
  const [row] = await db.select({ id: installation.id }).from(installation);
  const { rows } = await db.execute<{ oid: string }>(sql`select oid::text as oid from pg_database where datname = current_database()`);
  return createHash('sha256').update(`${row!.id}/${rows[0]!.oid}`).digest('hex').slice(0, 12);
}
