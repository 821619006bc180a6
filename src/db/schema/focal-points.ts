import { boolean, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { places } from './places.js';

/**
 * Community focal points and unregistered reporters. Phone number, Telegram id and name are
 * encrypted with PII_KEY; they are found through keyed hashes (HMAC), never by plain value.
 */
export const focalPoints = pgTable('focal_points', {
  id: serial('id').primaryKey(),
  /** HMAC of the E.164 number; unique. */
  phoneHash: text('phone_hash').unique(),
  phoneEnc: text('phone_enc'),
  /** HMAC of the Telegram user id; unique. */
  telegramHash: text('telegram_hash').unique(),
  telegramEnc: text('telegram_enc'),
  nameEnc: text('name_enc'),
  /** What officers see instead of the identity, e.g. `PF-3F2A`. */
  pseudonym: text('pseudonym').notNull().unique(),
  placeId: integer('place_id').references(() => places.id),
  language: text('language'),
  /** Registered by the mission (deployment file or admin) rather than a first-time reporter. */
  registered: boolean('registered').notNull().default(false),
  /** No confirmations are sent (for the reporter's safety). */
  silent: boolean('silent').notNull().default(false),
  /** Texted STOP: nothing more is sent. */
  optedOut: boolean('opted_out').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
