CREATE TABLE "field_offices" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"area" jsonb NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"telegram_chat_id" text,
	"escalation_policy" text NOT NULL,
	"triage" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "officers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"office_id" text NOT NULL,
	"role" text NOT NULL,
	"telegram_id" bigint,
	"phone" text,
	"language" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "places" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"name" text NOT NULL,
	"alt_names" text[] DEFAULT '{}' NOT NULL,
	"admin1" text,
	"admin2" text,
	"admin3" text,
	"code" text,
	"level" integer,
	"lat" double precision,
	"lon" double precision
);
--> statement-breakpoint
CREATE TABLE "focal_points" (
	"id" serial PRIMARY KEY NOT NULL,
	"phone_hash" text,
	"phone_enc" text,
	"telegram_hash" text,
	"telegram_enc" text,
	"name_enc" text,
	"pseudonym" text NOT NULL,
	"place_id" integer,
	"language" text,
	"registered" boolean DEFAULT false NOT NULL,
	"silent" boolean DEFAULT false NOT NULL,
	"opted_out" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "focal_points_phone_hash_unique" UNIQUE("phone_hash"),
	CONSTRAINT "focal_points_telegram_hash_unique" UNIQUE("telegram_hash"),
	CONSTRAINT "focal_points_pseudonym_unique" UNIQUE("pseudonym")
);
--> statement-breakpoint
CREATE TABLE "alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ref" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"threat_type" text,
	"urgency" text,
	"severity" text,
	"confidence" double precision,
	"evidence" jsonb,
	"place_id" integer,
	"place_confidence" double precision,
	"office_id" text,
	"language" text,
	"text" text NOT NULL,
	"channel" text NOT NULL,
	"focal_point_id" integer,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"timer_seq" integer DEFAULT 0 NOT NULL,
	"ack_deadline" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"classified_at" timestamp with time zone,
	"routed_at" timestamp with time zone,
	"notified_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alerts_ref_unique" UNIQUE("ref")
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"provider_message_id" text NOT NULL,
	"from_hash" text NOT NULL,
	"from_enc" text NOT NULL,
	"text" text NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"outcome" text,
	"alert_id" bigint,
	"focal_point_id" integer
);
--> statement-breakpoint
CREATE TABLE "outbound_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" bigint,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"to_enc" text NOT NULL,
	"purpose" text NOT NULL,
	"body" text NOT NULL,
	"actions" jsonb,
	"status" text DEFAULT 'queued' NOT NULL,
	"provider_message_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_messages_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
ALTER TABLE "officers" ADD CONSTRAINT "officers_office_id_field_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."field_offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "focal_points" ADD CONSTRAINT "focal_points_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_office_id_field_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."field_offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_focal_point_id_focal_points_id_fk" FOREIGN KEY ("focal_point_id") REFERENCES "public"."focal_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_officers_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_focal_point_id_focal_points_id_fk" FOREIGN KEY ("focal_point_id") REFERENCES "public"."focal_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "officers_telegram_id_idx" ON "officers" USING btree ("telegram_id");--> statement-breakpoint
CREATE UNIQUE INDEX "officers_phone_idx" ON "officers" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "places_source_idx" ON "places" USING btree ("source");--> statement-breakpoint
CREATE INDEX "places_name_idx" ON "places" USING btree ("name");--> statement-breakpoint
CREATE INDEX "alert_events_alert_idx" ON "alert_events" USING btree ("alert_id","id");--> statement-breakpoint
CREATE INDEX "alert_events_type_idx" ON "alert_events" USING btree ("type");--> statement-breakpoint
CREATE INDEX "alerts_status_idx" ON "alerts" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "alerts_office_idx" ON "alerts" USING btree ("office_id","created_at");--> statement-breakpoint
CREATE INDEX "alerts_created_idx" ON "alerts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "alerts_deadline_idx" ON "alerts" USING btree ("ack_deadline");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_provider_idx" ON "inbound_messages" USING btree ("channel","provider_message_id");--> statement-breakpoint
CREATE INDEX "inbound_unprocessed_idx" ON "inbound_messages" USING btree ("received_at") WHERE processed_at is null;--> statement-breakpoint
CREATE INDEX "outbound_alert_idx" ON "outbound_messages" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "outbound_provider_idx" ON "outbound_messages" USING btree ("channel","provider_message_id");--> statement-breakpoint
CREATE INDEX "outbound_queued_idx" ON "outbound_messages" USING btree ("created_at") WHERE status = 'queued';