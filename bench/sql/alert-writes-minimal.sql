-- pgbench script: the least PostgreSQL work any implementation must do for one warning: the
-- message stored before the provider is answered (one commit), then the alert with its events
-- and the three messages it sends written in one transaction, and the sends recorded.
\set n random(1, 2000000000)
insert into inbound_messages (channel, provider_message_id, from_hash, from_enc, text, meta, received_at)
  values ('simulator', cast(:client_id as text) || '-' || cast(:n as text) || '-' || random(), 'h', 'sealed', 'Hommes armés vus à Mopti ce matin', '{}', now())
  returning id as inbound_id \gset
with created as (
  insert into alerts (ref, status, text, channel, threat_type, urgency, severity, office_id, classified_at, routed_at, notified_at, ack_deadline, timer_seq)
  values ('R' || cast(:inbound_id as bigint), 'notified', 'Hommes armés vus à Mopti ce matin', 'simulator', 'armed_group_presence', 'ongoing', 'high', 'mopti', now(), now(), now(), now() + interval '1 hour', 1)
  returning id),
events as (
  insert into alert_events (alert_id, type, actor, data)
  select created.id, e.type, 'system', '{}'::jsonb from created, unnest(array['created', 'classified', 'routed', 'notified']) as e(type)),
messages as (
  insert into outbound_messages (alert_id, channel, recipient, to_enc, purpose, body, status, sent_at)
  select created.id, 'simulator', r, 'sealed', 'card', 'Alerte', 'sent', now() from created, unnest(array['reporter', 'officer o-1', 'officer o-2']) as r),
processed as (
  update inbound_messages set processed_at = now(), outcome = 'alert', alert_id = (select id from created) where id = cast(:inbound_id as bigint))
select id from created;
