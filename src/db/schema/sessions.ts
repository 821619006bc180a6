import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { officers } from './offices.js';

/**
 * One-time sign-in links for the operations room (sent by the bot or by SMS): only the SHA-256 of
 * the token is kept; a link is good for 10 minutes and once.
 */
export const loginLinks = pgTable('login_links', {
  tokenHash: text('token_hash').primaryKey(),
  officerId: text('officer_id')
    .notNull()
    .references(() => officers.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/**
 * Signed-in sessions of the operations room. The cookie carries a random token; the row is found by
 * its SHA-256. `officerId` is null for an administrator signed in with ADMIN_API_TOKEN.
 */
export const webSessions = pgTable(
  'web_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    officerId: text('officer_id').references(() => officers.id),
    /** `officer`, `supervisor`, `joc` or `admin`, as at sign-in. */
    role: text('role').notNull(),
    /** The office the session sees; null = every office (joc, admin). */
    officeId: text('office_id'),
    /** The token every form of this session carries (CSRF). */
    csrfToken: text('csrf_token').notNull(),
    language: text('language').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('web_sessions_last_seen_idx').on(t.lastSeenAt)],
);
