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
 * - `outcome_recorded` with `data.outcomes` (ids of `outcomes` in the taxonomy): the latest wins.
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

/**
 * `with period as (…), facts as (…)`: one row per alert received in the period, with its times
 * and counts. `$1` from, `$2` to, `$3` time zone, `$4` include exercises; `$5`… free for the caller.
 * `extraWhere` narrows the alerts (e.g. a keyset condition on `a.created_at, a.id`).
 */
export function alertFactsSql(extraWhere = 'true', { timeline = true }: { timeline?: boolean } = {}): string {
  // Without the timeline (a count, the seasonal report) its columns are null.
  const events = timeline ? eventFacts : `(select null::timestamptz as notified_at, null::timestamptz as acknowledged_at, null::timestamptz as replied_at,
                 null::timestamptz as responding_at, null::timestamptz as closed_at, null::timestamptz as first_deadline,
                 null::boolean as escalated, null::jsonb as outcomes)`;
  return `with period as (
      select ($1::date)::timestamp at time zone $3 as from_at, ($2::date)::timestamp at time zone $3 as to_at),
    facts as (
      select a.id, a.ref, a.created_at, a.office_id, a.threat_type, a.urgency, a.severity, a.status, a.escalation_level,
             a.language, a.text, a.place_id, a.focal_point_id,
             m.received_at, m.reports,
             e.notified_at, e.acknowledged_at, e.replied_at, e.responding_at, e.closed_at, e.first_deadline,
             coalesce(e.escalated, false) as escalated, coalesce(e.outcomes, '[]'::jsonb) as outcomes
        from period p
        join alerts a on a.created_at >= p.from_at and a.created_at < p.to_at + ${creationLag}
        cross join lateral (
          select coalesce(min(i.received_at), a.created_at) as received_at, count(i.id)::int as reports
            from inbound_messages i where i.alert_id = a.id) m
        cross join lateral ${events} e
       where (not a.exercise or $4::boolean)
         and m.received_at >= p.from_at and m.received_at < p.to_at
         and (${extraWhere}))`;
}

/** An alert's figures from its timeline (see the top of this file). */
const eventFacts = `(
          select min(ev.at) filter (where ev.type = 'notification_sent' and ev.data->>'purpose' in ('card', 'escalation')) as notified_at,
                 min(ev.at) filter (where ev.to_status in ('acknowledged', 'responding')) as acknowledged_at,
                 min(ev.at) filter (where ev.type = 'reply_bridged' and ev.data->>'direction' = 'to_reporter' and ev.actor like 'officer:%') as replied_at,
                 min(ev.at) filter (where ev.to_status = 'responding') as responding_at,
                 min(ev.at) filter (where ev.to_status in ('resolved', 'dismissed')) as closed_at,
                 min((ev.data->>'deadline')::timestamptz) filter (where ev.type = 'notified') as first_deadline,
                 bool_or(ev.type = 'escalated') as escalated,
                 (array_agg(ev.data->'outcomes' order by ev.id desc) filter (where ev.type = 'outcome_recorded'))[1] as outcomes
            from alert_events ev where ev.alert_id = a.id)`;

/** The five times of DESIGN.md, as SQL expressions over a `facts` row (seconds, or null). */
export const timeColumns = {
  timeToNotify: secondsBetween('received_at', 'notified_at'),
  timeToAcknowledge: secondsBetween('received_at', 'acknowledged_at'),
  timeToFirstReply: secondsBetween('received_at', 'replied_at'),
  timeToRespond: secondsBetween('received_at', 'responding_at'),
  timeToClose: secondsBetween('received_at', 'closed_at'),
} as const;

/** Acknowledged before the first acknowledge deadline (in time when no deadline had been set yet). */
export const acknowledgedInTimeSql = `(acknowledged_at is not null and (first_deadline is null or acknowledged_at < first_deadline))`;
