import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './index.js';

/**
 * What every report reads about an alert, worked out in PostgreSQL from the alert, its messages
 * and its timeline (DESIGN.md "Response and its record"). The event types and data read here are
 * the ones the workflow writes:
 *
 * - `receivedAt`: when the first inbound message of the alert was received (the alert's creation
 *   time when it has none, e.g. one made by hand);
 * - `notification_sent` (`data.purpose` `card` or `escalation`): a card or SMS to an officer or
 *   an office group was accepted by the provider;
 * - a transition to `acknowledged`, or straight to `responding` (which the workflow also records
 *   as the acknowledgement); closing without either is no acknowledgement;
 * - `reply_bridged` with `data.direction = 'to_reporter'` from an `officer:` actor: a person's
 *   reply to the reporter (automatic confirmations are outbound messages without this event);
 * - a transition to `responding`; a transition to `resolved` or `dismissed`;
 * - the first acknowledge deadline: `data.deadline` of the `notified` event (level 0, set from the
 *   alert's severity by its office's escalation policy);
 * - `escalated`: the alert reached level 1 or more;
 * - `outcome_recorded` with `data.outcomes` (ids of `outcomeIds` in the taxonomy): the latest wins.
 */

/** A report's period: dates (YYYY-MM-DD, `to` exclusive) read in `timezone`. */
export interface ReportPeriod {
  from: string;
  to: string;
  /** IANA name; the mission's (deployment file `timezone`). */
  timezone: string;
  /** Include exercise alerts (simulator, or marked so). Default false. */
  exercise?: boolean;
}

/**
 * Runs a report's statement with settings of its own, for its transaction only: the JIT compiler
 * off (a report's joins have an estimated cost above `jit_above_cost`, and compiling took longer
 * than running: about 1 s against 0.7 s on 100,000 alerts), and enough `work_mem` to sort and
 * group a year of events in memory rather than in temporary files (tens of MB at most, one
 * report at a time per connection), and a plan made for the values at hand (a generic plan of
 * an export page, made without knowing the period, sorted every alert after the cursor).
 */
export async function withReportSettings<T>(db: Db, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('plan_cache_mode', 'force_custom_plan', true)`,
    );
    return work(tx);
  });
}

/** The parameters `alertFactsSql` uses, in order ($1 … $4). */
export const periodValues = (p: ReportPeriod) => [p.from, p.to, p.timezone, p.exercise === true];

/**
 * Messages are received before their alert is created, usually within seconds; an alert created
 * more than this long after its first message (a queue down for days) is missed by a period
 * ending just before its creation. The window lets the period use the index on `created_at`.
 */
const creationLag = `interval '2 days'`;

/** Seconds between two moments, to the nearest second (null when either is). */
export const secondsBetween = (from: string, until: string) => `round(extract(epoch from (${until} - ${from})))::int`;

/** An alert's figures from its timeline (see the top of this file), over `alert_events ev`. */
const eventAggregates = `
    min(ev.at) filter (where ev.type = 'notification_sent' and ev.data->>'purpose' in ('card', 'escalation')) as notified_at,
    min(ev.at) filter (where ev.to_status in ('acknowledged', 'responding')) as acknowledged_at,
    min(ev.at) filter (where ev.type = 'reply_bridged' and ev.data->>'direction' = 'to_reporter' and ev.actor like 'officer:%') as replied_at,
    min(ev.at) filter (where ev.to_status = 'responding') as responding_at,
    min(ev.at) filter (where ev.to_status in ('resolved', 'dismissed')) as closed_at,
    -- The notified event's deadline; for an alert acknowledged before it was ever notified, the one its acknowledgement recorded.
    coalesce(min((ev.data->>'deadline')::timestamptz) filter (where ev.type = 'notified'),
             min((ev.data->>'deadline')::timestamptz) filter (where ev.to_status = 'acknowledged')) as first_deadline,
    bool_or(ev.type = 'escalated') as escalated,
    max(ev.id) filter (where ev.type = 'outcome_recorded') as outcome_event`;

/** The events those figures read (the rest of the timeline is left out of the scan). */
const eventsRead = `(ev.type in ('notification_sent', 'reply_bridged', 'notified', 'escalated', 'outcome_recorded') or ev.to_status is not null)`;

/** Without the timeline (a count, the seasonal report) its columns are null. */
const noEvents = `select null::bigint as alert_id, null::timestamptz as notified_at, null::timestamptz as acknowledged_at, null::timestamptz as replied_at,
    null::timestamptz as responding_at, null::timestamptz as closed_at, null::timestamptz as first_deadline, null::boolean as escalated, null::bigint as outcome_event
    where false`;

/**
 * `with period, candidates, span, messages, events, window_facts, facts`: one `facts` row per
 * alert received in the period, with its times and counts. `$1` from, `$2` to, `$3` time zone,
 * `$4` include exercises. With `page`, the candidates are one page in creation order after `$5`/`$6`
 * (the last page's created_at and id, or nulls), `$7` of them, and the rows to read are
 * `window_facts`, where `in_period` says which count.
 *
 * The candidates are the alerts created in the period (and just after: see `creationLag`).
 * Alert ids grow with creation, so their messages and events are read with one range scan of
 * each table's index by alert id (`span`) and grouped in one pass, not looked up alert by alert.
 */
export function alertFactsSql({ timeline = true, page = false }: { timeline?: boolean; page?: boolean } = {}): string {
  const fromAt = `($1::date)::timestamp at time zone $3`;
  const toAt = `($2::date)::timestamp at time zone $3`;
  // A page starts after the last one's (created_at, id): a range of the (created_at, id) index.
  const range = page
    ? `(a.created_at, a.id) > (coalesce($5::timestamptz, ${fromAt}), coalesce($6::bigint, 0)) and a.created_at < ${toAt} + ${creationLag}
       and (not a.exercise or $4::boolean) order by a.created_at, a.id limit $7`
    : `a.created_at >= ${fromAt} and a.created_at < ${toAt} + ${creationLag} and (not a.exercise or $4::boolean)`;
  return `with period as (select ${fromAt} as from_at, ${toAt} as to_at),
    candidates as materialized (
      select a.id, a.ref, a.created_at, a.office_id, a.threat_type, a.urgency, a.severity, a.status, a.escalation_level,
             a.language, a.place_id, a.focal_point_id${page ? ', a.text' : ''}
        from alerts a where ${range}),
    span as (select min(id) as lo, max(id) as hi from candidates),
    messages as (
      select i.alert_id, min(i.received_at) as received_at, count(*)::int as reports
        from span join inbound_messages i on i.alert_id between span.lo and span.hi
       group by i.alert_id),
    events as (${
      timeline
        ? `select ev.alert_id, ${eventAggregates}
        from span join alert_events ev on ev.alert_id between span.lo and span.hi and ${eventsRead} group by ev.alert_id`
        : noEvents
    }),
    window_facts as (
      select a.id, a.ref, a.created_at, a.office_id, a.threat_type, a.urgency, a.severity, a.status, a.escalation_level,
             a.language, a.place_id, a.focal_point_id,${page ? ' a.text,' : ''}
             coalesce(m.received_at, a.created_at) as received_at, coalesce(m.reports, 0) as reports,
             e.notified_at, e.acknowledged_at, e.replied_at, e.responding_at, e.closed_at, e.first_deadline,
             coalesce(e.escalated, false) as escalated,
             -- The latest outcome_recorded event says what was done.
             case when e.outcome_event is null then '[]'::jsonb
                  else coalesce((select o.data->'outcomes' from alert_events o where o.id = e.outcome_event), '[]'::jsonb) end as outcomes,
             coalesce(m.received_at, a.created_at) >= p.from_at and coalesce(m.received_at, a.created_at) < p.to_at as in_period
        from period p cross join candidates a
        left join messages m on m.alert_id = a.id
        left join events e on e.alert_id = a.id),
    facts as (select * from window_facts where in_period)`;
}

/** The five times of DESIGN.md, as SQL expressions over a `facts` row (seconds, or null). */
export const timeColumns = {
  timeToNotify: secondsBetween('received_at', 'notified_at'),
  timeToAcknowledge: secondsBetween('received_at', 'acknowledged_at'),
  timeToFirstReply: secondsBetween('received_at', 'replied_at'),
  timeToRespond: secondsBetween('received_at', 'responding_at'),
  timeToClose: secondsBetween('received_at', 'closed_at'),
} as const;

/**
 * Acknowledged before the first acknowledge deadline: the notified event's, or for an alert
 * acknowledged before it was notified, the one its acknowledgement recorded (from its creation).
 * In time when neither exists (alerts acknowledged before that was recorded, or with no office).
 */
export const acknowledgedInTimeSql = `(acknowledged_at is not null and (first_deadline is null or acknowledged_at < first_deadline))`;
