ALTER TABLE "telemetry_events" ADD COLUMN "dedup_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "telemetry_events_unique_dedup_key_index" ON "telemetry_events" USING btree ("dedup_key");--> statement-breakpoint
ALTER TABLE "telemetry_events" ADD CONSTRAINT "telemetry_events_dedup_key_check" CHECK (char_length("dedup_key") <= 255);