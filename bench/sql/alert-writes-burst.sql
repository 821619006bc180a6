-- pgbench script: the PostgreSQL statements Tamtam runs for 50 new warnings from first-time
-- reporters that arrive together (one intake INSERT, one inbound job, one transaction, one
-- statement per table; src/workflows/alerts/warnings.ts), with no Node and no queue. One pgbench
-- transaction is 50 alerts (bench/postgres-floor.ts multiplies). No `:` before a letter inside
-- literals: pgbench would read it as a variable.
\set n random(1, 2000000000)
with taken as (
  insert into inbound_messages (channel, provider_message_id, from_hash, from_enc, text, meta, received_at)
  select 'simulator', cast(:client_id as text) || '-' || cast(:n as text) || '-' || g || '-' || random(),
         'h-' || cast(:client_id as text) || '-' || cast(:n as text) || '-' || g || '-' || random(), 'sealed', 'Hommes armés vus à Mopti ce matin (' || g || ')', '{}', now()
    from generate_series(1, 50) g
  on conflict do nothing returning id, from_hash)
select array_agg(id order by id)::text as inbound_ids, array_agg(from_hash order by id)::text as hashes from taken \gset
select i.*, f.* from inbound_messages i left join focal_points f on f.phone_hash = i.from_hash or f.telegram_hash = i.from_hash where i.id = any(cast(:inbound_ids as bigint[])) order by i.id;
with registered as (
  insert into focal_points (pseudonym, phone_hash, phone_enc)
  select 'PF-' || h, h, 'sealed' from unnest(cast(:hashes as text[])) as h
  on conflict do nothing returning id, phone_hash)
select array_agg(r.id order by i.id)::text as fp_ids from registered r join inbound_messages i on i.from_hash = r.phone_hash \gset
begin;
select * from officers where active and office_id = 'mopti' and role = any(array['officer']) order by id;
with input as (
  select 'R' || fp as ref, fp as focal_point_id, k as ordinal
    from unnest(cast(:fp_ids as bigint[])) with ordinality as v(fp, k)),
created as (
  insert into alerts (ref, text, channel, focal_point_id, language, threat_type, urgency, severity, confidence, evidence, place_id, place_confidence,
                      classified_at, office_id, routed_at, status, notified_at, ack_deadline, timer_seq, escalation_level, updated_at)
  select ref, 'Hommes armés vus à Mopti ce matin', 'simulator', focal_point_id, 'fr', 'armed_group_presence', 'ongoing', 'high', 0.8, '["hommes armés"]', null, null,
         now(), 'mopti', now(), 'notified', now(), now() + interval '1 hour', 1, 0, now()
    from input order by ordinal
  on conflict (ref) do nothing returning id, ref),
events as (
  insert into alert_events (alert_id, type, actor, from_status, to_status, data)
  select created.id, e.type, 'system', null, null, '{"office":"mopti","recipients":["officer o-1","officer o-2"]}'::jsonb
    from created join input on input.ref = created.ref, unnest(array['created', 'classified', 'routed', 'notified']) with ordinality as e(type, n)
   order by input.ordinal, e.n)
select array_agg(c.id order by input.ordinal)::text as alert_ids from created c join input on input.ref = c.ref \gset
update focal_points f set language = 'fr', updated_at = now() from unnest(cast(:fp_ids as bigint[])) as v(id) where f.id = v.id and f.language is null;
insert into outbound_messages (alert_id, channel, recipient, to_enc, purpose, body, actions, edit_of, dedupe_key)
  select a, 'simulator', r, 'sealed', 'card', 'ALERTE R' || a || E' · élevée\nPrésence de groupes armés (en cours)\nLieu : Mopti → Mopti\nMessage : « Hommes armés vus à Mopti ce matin »',
         '[{"label":"Pris en charge","data":"ack R"},{"label":"Réponse en cours","data":"responding R"},{"label":"Résolue","data":"resolve R"},{"label":"Classer","data":"dismiss R"},{"label":"Escalader","data":"escalate R"}]',
         null, 'card-' || a || '-' || r
    from unnest(cast(:alert_ids as bigint[])) as a, unnest(array['reporter', 'officer o-1', 'officer o-2']) as r
  returning id;
update inbound_messages i set processed_at = now(), outcome = 'alert', alert_id = v.alert_id, focal_point_id = v.fp
  from unnest(cast(:inbound_ids as bigint[]), cast(:alert_ids as bigint[]), cast(:fp_ids as bigint[])) as v(id, alert_id, fp)
 where i.id = v.id and i.processed_at is null returning i.id;
commit;
-- The 150 sends, as the send jobs' shared statements do them (50 messages a job).
select * from outbound_messages where alert_id = any(cast(:alert_ids as bigint[]));
with changed as (
  update outbound_messages set status = 'sent', sent_at = now(), attempts = 1, updated_at = now()
   where alert_id = any(cast(:alert_ids as bigint[])) and status = 'queued' returning id, alert_id, recipient),
event as (insert into alert_events (alert_id, type, actor, data) select alert_id, 'notification_sent', 'system', jsonb_build_object('recipient', recipient) from changed order by id)
select count(*) from changed;
