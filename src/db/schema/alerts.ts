import { sql } from 'drizzle-orm';
import { bigserial, bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { fieldOffices, officers } from './offices.js';
import { focalPoints } from './focal-points.js';
import { places } from './places.js';

/** One warning and where it stands. Every change to a row is mirrored by an `alert_events` row. */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ref: text('ref').notNull().unique(),
    status: text('status').notNull().default('new'),
    threatType: text('threat_type'),
    /** Other threat types the warning tells of, most severe first (never the primary one). */
    otherThreatTypes: jsonb('other_threat_types').$type<string[]>().notNull().default([]),
    urgency: text('urgency'),
    severity: text('severity'),
    confidence: doublePrecision('confidence'),
    evidence: jsonb('evidence').$type<string[]>(),
    placeId: integer('place_id').references(() => places.id),
    placeConfidence: doublePrecision('place_confidence'),
    officeId: text('office_id').references(() => fieldOffices.id),
    language: text('language'),
    /** The reporter's first message. */
    text: text('text').notNull(),
    channel: text('channel').notNull(),
    /** An exercise (from the simulator, or marked so): left out of every report figure unless asked for. */
    exercise: boolean('exercise').notNull().default(false),
    focalPointId: integer('focal_point_id').references(() => focalPoints.id),
    /**
     * The earlier alert of the same reporter this one was split from: a message inside the
     * follow-up window that told of a different incident (DESIGN.md "Alerts about the same incident").
     */
    linkedToId: bigint('linked_to_id', { mode: 'number' }).references((): AnyPgColumn => alerts.id),
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** Incremented whenever a new acknowledge deadline is set; names the escalation timer job. */
    timerSeq: integer('timer_seq').notNull().default(0),
    ackDeadline: timestamp('ack_deadline', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    classifiedAt: timestamp('classified_at', { withTimezone: true }),
    routedAt: timestamp('routed_at', { withTimezone: true }),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by').references(() => officers.id),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('alerts_status_idx').on(t.status, t.createdAt),
    index('alerts_office_idx').on(t.officeId, t.createdAt),
    // In creation order with the id as tie-break: keyset pages of the alerts export stop after a page.
    index('alerts_created_idx').on(t.createdAt, t.id),
    index('alerts_deadline_idx').on(t.ackDeadline),
    // A reporter's open alerts (is a new message a follow-up?).
    index('alerts_focal_point_idx').on(t.focalPointId, t.createdAt),
  ],
);

/**
 * Append-only timeline: every transition, notification, escalation, reply and officer action.
 * A trigger (migration 0001) refuses UPDATE and DELETE.
 */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: bigint('alert_id', { mode: 'number' })
      .notNull()
      .references(() => alerts.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    type: text('type').notNull(),
    /** `system`, `officer:<id>` or `reporter:<pseudonym>`. */
    actor: text('actor').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('alert_events_alert_idx').on(t.alertId, t.id),
    index('alert_events_type_idx').on(t.type),
    // The events the reports read (src/db/report-facts.ts), so that a year's timeline is read without the rest.
    index('alert_events_report_idx')
      .on(t.alertId)
      .where(sql`type in ('notification_sent', 'reply_bridged', 'notified', 'escalated', 'outcome_recorded') or to_status is not null`),
  ],
);
