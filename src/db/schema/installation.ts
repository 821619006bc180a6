import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, uuid } from 'drizzle-orm/pg-core';

/**
 * One row: this database's own id, made when it is created. Job ids carry it, so that a restored
 * or recreated database (whose row ids start again) never reuses the ids of jobs the queue still
 * keeps from before.
 */
export const installation = pgTable(
  'installation',
  {
    /** Always true: the primary key that allows a single row. */
    single: boolean('single').primaryKey().default(true),
    id: uuid('id').notNull().defaultRandom(),
  },
  (t) => [check('installation_single', sql`${t.single}`)],
);
