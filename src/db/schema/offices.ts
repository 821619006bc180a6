import { bigint, boolean, doublePrecision, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Field offices, synchronised from the deployment file at start-up. */
export const fieldOffices = pgTable('field_offices', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** `{ admin1?: string[], admin2?: string[], admin3?: string[] }` */
  area: jsonb('area').$type<{ admin1?: string[]; admin2?: string[]; admin3?: string[] }>().notNull(),
  lat: doublePrecision('lat'),
  lon: doublePrecision('lon'),
  telegramChatId: text('telegram_chat_id'),
  escalationPolicy: text('escalation_policy').notNull(),
  triage: boolean('triage').notNull().default(false),
  /** False once the office left the deployment file; kept for history. */
  active: boolean('active').notNull().default(true),
});

/** Officers (any role), synchronised from the deployment file. */
export const officers = pgTable(
  'officers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    officeId: text('office_id')
      .notNull()
      .references(() => fieldOffices.id),
    role: text('role').notNull(),
    telegramId: bigint('telegram_id', { mode: 'number' }),
    /** Staff phone number (E.164), used for the SMS fallback and to recognise officers' texts. */
    phone: text('phone'),
    language: text('language').notNull(),
    /** Set when the officer chose a language in Telegram (/lang); then the deployment file's does not override it. */
    languageChosen: boolean('language_chosen').notNull().default(false),
    active: boolean('active').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('officers_telegram_id_idx').on(t.telegramId), uniqueIndex('officers_phone_idx').on(t.phone)],
);

/** Key-value facts Tamtam keeps about itself (e.g. the hash of the imported gazetteers). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
