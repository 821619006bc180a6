-- pgbench script: the PostgreSQL statements Tamtam runs for one new warning from a first-time
-- reporter, as the workflow runs them (bench/postgres-floor.ts), with no Node and no queue.
\set n random(1, 2000000000)
insert into inbound_messages (channel, provider_message_id, from_hash, from_enc, text, meta, received_at)
  values ('simulator', cast(:client_id as text) || '-' || cast(:n as text) || '-' || random(), 'h-' || cast(:client_id as text) || '-' || cast(:n as text) || '-' || random(), 'sealed', 'Hommes armés vus à Mopti ce matin', '{}', now())
  on conflict do nothing returning id as inbound_id, from_hash as hash \gset
select i.*, f.* from inbound_messages i left join focal_points f on f.phone_hash = i.from_hash or f.telegram_hash = i.from_hash where i.id = cast(:inbound_id as bigint);
insert into focal_points (pseudonym, phone_hash, phone_enc) values ('PF-' || cast(:inbound_id as bigint), cast(:hash as text), 'sealed') on conflict do nothing returning id as fp_id \gset
select * from alerts where focal_point_id = cast(:fp_id as bigint) and status in ('new', 'notified', 'acknowledged', 'responding') order by created_at desc limit 10;
begin;
with created as (
  insert into alerts (ref, text, channel, focal_point_id, language, threat_type, urgency, severity, confidence, evidence, place_id, place_confidence, classified_at, office_id, routed_at, updated_at)
  values ('R' || cast(:inbound_id as bigint), 'Hommes armés vus à Mopti ce matin', 'simulator', cast(:fp_id as bigint), null, 'armed_group_presence', 'ongoing', 'high', 0.8, '["hommes armés"]', null, null, now(), 'mopti', now(), now())
  on conflict (ref) do nothing returning *),
events as (
  insert into alert_events (alert_id, type, actor, from_status, to_status, data)
  select created.id, e.type, 'system', null, null, '{"office":"mopti"}'::jsonb from created, unnest(array['created', 'classified', 'routed']) with ordinality as e(type, n) order by e.n)
select id as alert_id from created \gset
update focal_points set language = 'fr', updated_at = now() where id = cast(:fp_id as bigint) and language is null;
select * from field_offices where id = 'mopti';
select * from officers where active and office_id = 'mopti' and role = any(array['officer']) order by id;
insert into outbound_messages (alert_id, channel, recipient, to_enc, purpose, body, actions, edit_of, dedupe_key)
  select cast(:alert_id as bigint), 'simulator', r, 'sealed', 'card', 'Alerte R' || cast(:inbound_id as bigint) || E'\nHommes armés…', '[{"label":"Pris en charge","data":"ack R"}]', null, 'card-' || cast(:alert_id as bigint) || '-' || r
    from unnest(array['reporter', 'officer o-1', 'officer o-2']) as r
  returning id;
with changed as (update alerts set status = 'notified', notified_at = now(), ack_deadline = now() + interval '1 hour', timer_seq = 1, escalation_level = 0, updated_at = now() where id = cast(:alert_id as bigint) returning *),
event as (insert into alert_events (alert_id, type, actor, from_status, to_status, data) select id, 'notified', 'system', 'new', 'notified', '{"level":0}'::jsonb from changed)
select id from changed;
update inbound_messages set processed_at = now(), outcome = 'alert', alert_id = cast(:alert_id as bigint), focal_point_id = cast(:fp_id as bigint) where id = cast(:inbound_id as bigint) and processed_at is null returning id;
commit;
-- The three sends, as the shared statements do them (about ten sends per statement under load, here three).
select * from outbound_messages where alert_id = cast(:alert_id as bigint);
with changed as (update outbound_messages set status = 'sent', sent_at = now(), attempts = 1, updated_at = now() where alert_id = cast(:alert_id as bigint) and status = 'queued' returning id, alert_id, recipient),
event as (insert into alert_events (alert_id, type, actor, data) select alert_id, 'notification_sent', 'system', jsonb_build_object('recipient', recipient) from changed)
select count(*) from changed;
