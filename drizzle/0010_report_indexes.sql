DROP INDEX "alerts_created_idx";--> statement-breakpoint
CREATE INDEX "alert_events_report_idx" ON "alert_events" USING btree ("alert_id") WHERE type in ('notification_sent', 'reply_bridged', 'notified', 'escalated', 'outcome_recorded') or to_status is not null;--> statement-breakpoint
CREATE INDEX "alerts_created_idx" ON "alerts" USING btree ("created_at","id");