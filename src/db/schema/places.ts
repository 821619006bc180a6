import { doublePrecision, index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';

/** Gazetteer entries: administrative units and settlements, with their admin chain by name. */
export const places = pgTable(
  'places',
  {
    id: serial('id').primaryKey(),
    /** Which gazetteer file it came from (file name), so a re-import replaces its own rows only. */
    source: text('source').notNull(),
    name: text('name').notNull(),
    altNames: text('alt_names').array().notNull().default([]),
    admin1: text('admin1'),
    admin2: text('admin2'),
    admin3: text('admin3'),
    /** Gazetteer code (P-code, Open Admin Data id), when the source has one. */
    code: text('code'),
    /** Gazetteer codes of admin1, admin2, admin3 (offices' areas may name units by code). */
    adminCodes: text('admin_codes').array(),
    /** Administrative level (1 = region …), null for settlements. */
    level: integer('level'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
  },
  (t) => [index('places_source_idx').on(t.source), index('places_name_idx').on(t.name)],
);
