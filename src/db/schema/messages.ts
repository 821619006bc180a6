import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { alerts } from './alerts.js';
import { focalPoints } from './focal-points.js';

/** Every message received, persisted before the provider is answered. */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(),
    /** Twilio MessageSid, Telegram update_id…: a redelivery hits the unique index and is ignored. */
    providerMessageId: text('provider_message_id').notNull(),
    /** HMAC of the sender's address; the address itself is encrypted. */
    fromHash: text('from_hash').notNull(),
    fromEnc: text('from_enc').notNull(),
    text: text('text').notNull(),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /**
     * What the message turned out to be: `alert` (it opened alert `alertId`), `follow_up` (its
     * reporter's own open alert), `corroboration` (another reporter's warning of the incident of
     * `alertId`, grouped under it), `command`, `officer_command`, `unprocessable`.
     */
    outcome: text('outcome'),
    /** Why no attempt could process it (outcome `unprocessable`: parked, never retried). */
    unprocessableReason: text('unprocessable_reason'),
    alertId: bigint('alert_id', { mode: 'number' }).references(() => alerts.id),
    focalPointId: integer('focal_point_id').references(() => focalPoints.id),
  },
  (t) => [
    uniqueIndex('inbound_provider_idx').on(t.channel, t.providerMessageId),
    index('inbound_unprocessed_idx')
      .on(t.receivedAt)
      .where(sql`processed_at is null`),
    // A sender's messages still unprocessed (does an earlier one wait in another job?).
    index('inbound_unprocessed_sender_idx')
      .on(t.fromHash, t.receivedAt)
      .where(sql`processed_at is null`),
    // An alert's messages (is a reporter's new message a follow-up? the alert's timeline).
    index('inbound_alert_idx').on(t.alertId),
    // The alerts a reporter corroborated (their next message may follow up on one).
    index('inbound_corroboration_idx')
      .on(t.focalPointId)
      .where(sql`outcome = 'corroboration'`),
    // The parked messages, for admins.
    index('inbound_unprocessable_idx')
      .on(t.id)
      .where(sql`outcome = 'unprocessable'`),
  ],
);

/**
 * When the next message to a chat may leave (Telegram allows about 1 message/s per chat and
 * 20/min per group); a reservation per message keeps every worker process within it.
 */
export const sendSlots = pgTable('send_slots', {
  chat: text('chat').primaryKey(),
  nextAt: timestamp('next_at', { withTimezone: true }).notNull(),
});

/** Every message Tamtam sends, with its delivery status. */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: bigint('alert_id', { mode: 'number' }).references(() => alerts.id),
    channel: text('channel').notNull(),
    /** `officer:<id>`, `office:<id>` (group chat) or `reporter:<focal point id>`: never a number. */
    recipient: text('recipient').notNull(),
    /** Address on the channel, encrypted (it may be a focal point's number). */
    toEnc: text('to_enc').notNull(),
    /** `card`, `escalation`, `confirmation`, `reply`, `help`… */
    purpose: text('purpose').notNull(),
    body: text('body').notNull(),
    actions: jsonb('actions').$type<{ label: string; data: string }[]>(),
    /** queued → sent → delivered / failed / undelivered (never moves backwards). */
    status: text('status').notNull().default('queued'),
    providerMessageId: text('provider_message_id'),
    /** For an edit (an alert card updated in place): the provider id of the message to replace. */
    editOf: text('edit_of'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    /** Dedupes sends of one logical message (e.g. `card:<alert>:<level seq>:<recipient>`). */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outbound_alert_idx').on(t.alertId),
    index('outbound_provider_idx').on(t.channel, t.providerMessageId),
    // A card edit about to be sent looks for a newer edit of the same message (hasNewerEdit).
    index('outbound_edit_of_idx')
      .on(t.editOf, t.id)
      .where(sql`edit_of is not null`),
    index('outbound_queued_idx')
      .on(t.createdAt)
      .where(sql`status = 'queued'`),
  ],
);
