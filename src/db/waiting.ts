import { sql } from 'drizzle-orm';
import type { DbOrTx } from './index.js';

/**
 * What is waiting on the mission now: alerts nobody has acknowledged although their first
 * acknowledge deadline has passed, and reporters who have not heard back from a person. Exercise
 * alerts are left out, as in every report.
 */

/** An open alert still unacknowledged after its first acknowledge deadline. */
export interface OverdueAlert {
  ref: string;
  officeId: string | null;
  severity: string | null;
  threatType: string | null;
  deadline: Date;
  escalationLevel: number;
}

/** Open alerts (`new`, `notified`) whose first deadline (the `notified` event's) is before `now`, oldest deadline first. */
export async function overdueAlerts(db: DbOrTx, params: { now: Date; officeId?: string }): Promise<OverdueAlert[]> {
  const { rows } = await db.execute<{
    ref: string;
    office_id: string | null;
    severity: string | null;
    threat_type: string | null;
    deadline: string;
    escalation_level: number;
  }>(sql`
    select a.ref, a.office_id, a.severity, a.threat_type, d.deadline, a.escalation_level
      from alerts a
      cross join lateral (
        select min((e.data->>'deadline')::timestamptz) as deadline from alert_events e where e.alert_id = a.id and e.type = 'notified') d
     where a.status in ('new', 'notified') and not a.exercise and d.deadline < ${params.now.toISOString()}::timestamptz
       and (${params.officeId ?? null}::text is null or a.office_id = ${params.officeId ?? null})
     order by d.deadline, a.id`);
  return rows.map((r) => ({
    ref: r.ref,
    officeId: r.office_id,
    severity: r.severity,
    threatType: r.threat_type,
    deadline: new Date(r.deadline),
    escalationLevel: r.escalation_level,
  }));
}

/** A reporter of an open alert whose last message has had no reply from an officer since. */
export interface ReporterAwaitingReply {
  ref: string;
  officeId: string | null;
  /** The reporter as officers see them (never a number or a name). */
  pseudonym: string;
  /** When the reporter last wrote about this alert. */
  since: Date;
}

/** Reporters of open alerts still waiting for a person's reply, longest waiting first. */
export async function reportersAwaitingReply(db: DbOrTx, params: { officeId?: string } = {}): Promise<ReporterAwaitingReply[]> {
  const { rows } = await db.execute<{ ref: string; office_id: string | null; pseudonym: string; since: string }>(sql`
    select a.ref, a.office_id, f.pseudonym, m.last_at as since
      from alerts a
      join focal_points f on f.id = a.focal_point_id
      -- The alert's own reporter's messages: replies go to them (another reporter's grouped warning is answered by its confirmation).
      cross join lateral (select max(i.received_at) as last_at from inbound_messages i where i.alert_id = a.id and i.focal_point_id = a.focal_point_id) m
      cross join lateral (
        select max(e.at) as at from alert_events e
         where e.alert_id = a.id and e.type = 'reply_bridged' and e.data->>'direction' = 'to_reporter' and e.actor like 'officer:%') r
     where a.status in ('new', 'notified', 'acknowledged', 'responding') and not a.exercise
       and m.last_at is not null and (r.at is null or r.at < m.last_at)
       and (${params.officeId ?? null}::text is null or a.office_id = ${params.officeId ?? null})
     order by m.last_at, a.id`);
  return rows.map((r) => ({ ref: r.ref, officeId: r.office_id, pseudonym: r.pseudonym, since: new Date(r.since) }));
}

/** Time-to-acknowledge buckets of the Prometheus histogram, seconds. */
export const timeToAcknowledgeBuckets = [60, 300, 900, 1800, 3600, 7200, 14400, 86400] as const;

/** Per office and severity: acknowledged alerts counted in cumulative buckets of time to acknowledge (from the first message). */
export async function timeToAcknowledgeHistogram(
  db: DbOrTx,
): Promise<{ officeId: string | null; severity: string | null; count: number; sum: number; buckets: number[] }[]> {
  const bucketColumns = timeToAcknowledgeBuckets.map((b) => `count(*) filter (where seconds <= ${b})::int`).join(', ');
  const { rows } = await db.execute<{ office_id: string | null; severity: string | null; count: number; sum: number; buckets: number[] }>(
    sql.raw(`
    select office_id, severity, count(*)::int as count, coalesce(sum(seconds), 0)::float8 as sum, array[${bucketColumns}] as buckets
      from (
        select a.office_id, a.severity, extract(epoch from (ack.at - coalesce(m.received_at, a.created_at))) as seconds
          from alerts a
          cross join lateral (select min(e.at) as at from alert_events e where e.alert_id = a.id and e.to_status in ('acknowledged', 'responding')) ack
          cross join lateral (select min(i.received_at) as received_at from inbound_messages i where i.alert_id = a.id) m
         where a.acknowledged_at is not null and not a.exercise and ack.at is not null) t
     group by office_id, severity
     order by office_id nulls last, severity nulls last`),
  );
  return rows.map((r) => ({ officeId: r.office_id, severity: r.severity, count: r.count, sum: r.sum, buckets: r.buckets }));
}
