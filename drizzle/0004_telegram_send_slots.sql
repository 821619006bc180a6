CREATE TABLE "send_slots" (
	"chat" text PRIMARY KEY NOT NULL,
	"next_at" timestamp with time zone NOT NULL
);
