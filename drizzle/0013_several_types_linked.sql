ALTER TABLE "alerts" ADD COLUMN "other_threat_types" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "linked_to_id" bigint;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_linked_to_id_alerts_id_fk" FOREIGN KEY ("linked_to_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;