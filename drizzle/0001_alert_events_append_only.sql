-- The alert timeline is append-only: history must survive bugs and mistakes alike.
CREATE OR REPLACE FUNCTION alert_events_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'alert_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER alert_events_append_only
  BEFORE UPDATE OR DELETE ON alert_events
  FOR EACH ROW EXECUTE FUNCTION alert_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER alert_events_no_truncate
  BEFORE TRUNCATE ON alert_events
  FOR EACH STATEMENT EXECUTE FUNCTION alert_events_refuse_change();
