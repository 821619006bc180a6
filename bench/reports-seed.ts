import type pg from 'pg';

/**
 * Seeds a migrated database with `alerts` alerts over three years (2024–2026), in SQL alone
 * (generate_series, a fixed random seed): 5 offices, 400 places in 8 regions, 5,000 reporters,
 * every status, escalations when an acknowledgement came after its deadline, replies, outcomes,
 * duplicates, follow-up messages and 2% exercises. Events are written in time order across
 * alerts, as the workflow appends them, with the types and data the workflow writes.
 */
export async function seedReports(client: pg.Client, alerts: number): Promise<void> {
  await client.query(`select setseed(0.42)`);
  await client.query(`
    insert into field_offices (id, name, area, escalation_policy)
    select id, initcap(id) || ' Field Office', '{}', 'default' from unnest(array['mopti', 'gao', 'tombouctou', 'kidal', 'menaka']) id;
    insert into places (source, name, admin1, admin2, lat, lon, level)
    select 'bench', 'Village ' || i, 'Region ' || (i % 8), 'Cercle ' || (i % 40), 14 + (i % 50) / 10.0, -4 + (i % 70) / 10.0, null
      from generate_series(1, 400) i;
    insert into focal_points (pseudonym, phone_hash, phone_enc, registered)
    select 'PF-' || upper(to_hex(4096 + i)), 'h' || i, 'sealed', i % 3 = 0 from generate_series(1, 5000) i`);
  // One row per alert with its whole timeline (seconds after the first message).
  await client.query(
    `create temp table plan0 as
     with r as (
       select k, random() u1, random() u2, random() u3, random() u4, random() u5, random() u6, random() u7, random() u8, random() u9
         from generate_series(1, $1::int) k),
     base as (
       select r.*, timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => u1 * 3 * 365 * 86400) as received,
              1 + u2 * 2 as created,
              (array['mopti', 'gao', 'tombouctou', 'kidal', 'menaka'])[1 + floor(u2 * 5)::int] as office,
              case when u3 < .15 then 'critical' when u3 < .5 then 'high' when u3 < .85 then 'medium' else 'low' end as severity,
              case when u3 < .15 then 300 when u3 < .5 then 900 when u3 < .85 then 3600 else 14400 end as timeout,
              (array['attack_on_civilians', 'armed_group_presence', 'abduction', 'sexual_violence', 'looting_destruction', 'armed_clash',
                     'explosive_device', 'intercommunal_tension', 'displacement', 'other'])[1 + floor(u9 * 10)::int] as threat_type,
              case when u4 < .05 then 'open_notified' when u4 < .10 then 'dismissed_unacked' when u4 < .13 then 'resolved_unacked'
                   when u4 < .20 then 'acknowledged' when u4 < .28 then 'responding' when u4 < .83 then 'resolved' else 'dismissed' end as path
         from r),
     timed as (
       select b.*,
              case when u5 < .96 then created + 1 + u6 * 10 end as card,
              case when path in ('open_notified', 'dismissed_unacked', 'resolved_unacked') then null else created + timeout * u7 * 1.6 end as ack,
              case when path in ('dismissed_unacked', 'resolved_unacked') then created + timeout * u7 * 1.6 end as closed_unacked
         from base b)
     select t.*,
            case when path = 'open_notified' then 3 else least(3, floor(coalesce(ack, closed_unacked) / timeout))::int end as escalations,
            case when ack is not null and u8 < .4 then ack + u8 * 4500 end as reply,
            case when path = 'responding' or (path = 'resolved' and u6 < .7) then ack + 60 + u5 * 3600 end as respond,
            case when path = 'resolved' then ack + 600 + u8 * 86400 when path = 'dismissed' then ack + 60 + u8 * 3600
                 else closed_unacked end as close,
            case when path = 'resolved' then (array['patrol', 'engagement', 'authorities', 'humanitarian', 'no_action_possible'])[1 + floor(u9 * 5)::int]
                 when path like 'dismissed%' and u6 < .5 then 'false_alarm' end as outcome,
            path = 'dismissed' and u6 >= .66 as duplicate,
            1 + floor(u8 * u8 * 3)::int as reports,
            1 + floor(u6 * 400)::int as place_id,
            1 + floor(u7 * 5000)::int as focal_point_id,
            u1 * 1000 - floor(u1 * 1000) < .02 as exercise
       from timed t`,
    [alerts],
  );
  // Alert ids grow with creation, as in the product: number the plan in order of arrival.
  await client.query(`
    create temp table plan as
    select row_number() over (order by received)::int as g, p.*,
           case when duplicate then 'B' || lpad(greatest(1, row_number() over (order by received) - 1)::text, 7, '0') end as duplicate_of
      from plan0 p`);
  await client.query(`
    insert into alerts (id, ref, status, threat_type, urgency, severity, place_id, office_id, language, text, channel, exercise, focal_point_id,
                        escalation_level, created_at, notified_at, acknowledged_at, closed_at, updated_at)
    select g, 'B' || lpad(g::text, 7, '0'),
           case when path = 'open_notified' then 'notified' when path like 'dismissed%' then 'dismissed' when path like 'resolved%' then 'resolved' else path end,
           threat_type, 'ongoing', severity, place_id, office, 'fr', 'Des hommes armés ont été vus près du village ce matin, ils sont nombreux',
           case when exercise then 'simulator' else 'sms' end, exercise, focal_point_id, escalations,
           received + make_interval(secs => created), received + make_interval(secs => created),
           received + make_interval(secs => coalesce(ack, respond)), received + make_interval(secs => close), received + make_interval(secs => created)
      from plan order by g;
    select setval(pg_get_serial_sequence('alerts', 'id'), (select max(id) from alerts));
    insert into inbound_messages (channel, provider_message_id, from_hash, from_enc, text, received_at, processed_at, outcome, alert_id, focal_point_id)
    select 'sms', 'SM' || g || '-' || n, 'h' || focal_point_id, 'sealed', 'Des hommes armés', received + make_interval(secs => n * 600),
           received + make_interval(secs => n * 600 + 1), case when n = 0 then 'alert' else 'follow_up' end, g, focal_point_id
      from plan, generate_series(0, reports - 1) n
     order by 6`);
  await client.query(`
    insert into alert_events (alert_id, at, type, actor, from_status, to_status, data)
    select alert_id, at, type, actor, from_status, to_status, data from (
      select g as alert_id, received + make_interval(secs => created) as at, 1 as n, 'created' as type, 'reporter:PF-1001' as actor, null as from_status, 'new' as to_status, jsonb_build_object('channel', 'sms') as data from plan
      union all select g, received + make_interval(secs => created), 2, 'classified', 'system', null, null, jsonb_build_object('threatType', threat_type, 'severity', severity) from plan
      union all select g, received + make_interval(secs => created), 3, 'routed', 'system', null, null, jsonb_build_object('office', office, 'reason', 'area') from plan
      union all select g, received + make_interval(secs => created), 4, 'notified', 'system', 'new', 'notified',
             jsonb_build_object('level', 0, 'office', office, 'recipients', jsonb_build_array('officer:o-1'), 'unreachable', '[]'::jsonb,
                                'deadline', to_jsonb(received + make_interval(secs => created + timeout))) from plan
      union all select g, received + make_interval(secs => created + 1), 5, 'message_sent', 'system', null, null, jsonb_build_object('purpose', 'confirmation', 'recipient', 'reporter:' || focal_point_id) from plan
      union all select g, received + make_interval(secs => card), 6, 'notification_sent', 'system', null, null, jsonb_build_object('purpose', 'card', 'recipient', 'officer:o-1', 'channel', 'telegram', 'attempt', 1) from plan where card is not null
      union all select g, received + make_interval(secs => created + 1), 6, 'notification_failed', 'system', null, null, jsonb_build_object('level', 0, 'reason', 'nobody to notify at this level') from plan where card is null
      union all select g, received + make_interval(secs => created + timeout * l), 7, 'escalated', 'system', null, null,
             jsonb_build_object('level', l, 'deadline', to_jsonb(received + make_interval(secs => created + timeout * (l + 1)))) from plan, generate_series(1, escalations) l
      union all select g, received + make_interval(secs => created + timeout * l + 2), 8, 'notification_sent', 'system', null, null, jsonb_build_object('purpose', 'escalation', 'recipient', 'officer:o-2', 'channel', 'telegram', 'attempt', 1) from plan, generate_series(1, escalations) l
      union all select g, received + make_interval(secs => ack), 9, 'acknowledged', 'officer:o-1', 'notified', 'acknowledged', '{}'::jsonb from plan where ack is not null
      union all select g, received + make_interval(secs => reply), 10, 'reply_bridged', 'officer:o-1', null, null, jsonb_build_object('direction', 'to_reporter', 'text', 'Où exactement ?') from plan where reply is not null
      union all select g, received + make_interval(secs => respond), 11, 'responding', 'officer:o-1', 'acknowledged', 'responding', '{}'::jsonb from plan where respond is not null
      union all select g, received + make_interval(secs => close), 12, case when path like 'dismissed%' then 'dismissed' else 'resolved' end, 'officer:o-1',
             case when path like '%unacked' then 'notified' when respond is not null then 'responding' else 'acknowledged' end,
             case when path like 'dismissed%' then 'dismissed' else 'resolved' end,
             case when duplicate_of is not null then jsonb_build_object('duplicateOf', duplicate_of) else '{}'::jsonb end from plan where close is not null
      union all select g, received + make_interval(secs => close), 13, 'outcome_recorded', 'officer:o-1', null, null, jsonb_build_object('outcomes', jsonb_build_array(outcome)) from plan where outcome is not null
    ) e order by at, alert_id, n`);
  // As autovacuum would have by the time anyone reports on three years.
  await client.query('vacuum analyze');
}
