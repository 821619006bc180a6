ALTER TABLE "alerts" ADD COLUMN "exercise" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- Warnings typed into the simulator before this column existed were exercises too (appended to the generated SQL).
UPDATE "alerts" SET "exercise" = true WHERE "channel" = 'simulator';
