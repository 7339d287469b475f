CREATE SEQUENCE "public"."time_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "agents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" text DEFAULT 'agent_' || (floor(extract(epoch from clock_timestamp()) * 1000000)::bigint * 1000 + nextval('time_id_seq') % 1000)::text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"capabilities" text[] DEFAULT '{}',
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"last_heartbeat" timestamp (6) with time zone,
	"inserted_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agents_agent_id_check" CHECK (char_length("agent_id") >= 1 AND char_length("agent_id") <= 255),
	CONSTRAINT "agents_status_check" CHECK ("status" IN ('active', 'idle', 'error', 'offline')),
	CONSTRAINT "agents_metadata_check" CHECK (jsonb_typeof("metadata") = 'object')
);
--> statement-breakpoint
CREATE TABLE "telemetry_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_name" text[] NOT NULL,
	"measurements" jsonb DEFAULT '{}'::jsonb,
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"trace_id" text,
	"span_id" text,
	"source" text,
	"processed_at" timestamp (6) with time zone,
	"inserted_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "telemetry_events_measurements_check" CHECK (jsonb_typeof("measurements") = 'object'),
	CONSTRAINT "telemetry_events_metadata_check" CHECK (jsonb_typeof("metadata") = 'object'),
	CONSTRAINT "telemetry_events_trace_id_check" CHECK (char_length("trace_id") <= 255),
	CONSTRAINT "telemetry_events_span_id_check" CHECK (char_length("span_id") <= 255),
	CONSTRAINT "telemetry_events_source_check" CHECK (char_length("source") <= 255)
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"work_item_id" text DEFAULT 'work_' || (floor(extract(epoch from clock_timestamp()) * 1000000)::bigint * 1000 + nextval('time_id_seq') % 1000)::text NOT NULL,
	"work_type" text NOT NULL,
	"description" text,
	"priority" text DEFAULT 'medium' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"claimed_by" uuid,
	"claimed_at" timestamp (6) with time zone,
	"completed_at" timestamp (6) with time zone,
	"payload" jsonb DEFAULT '{}'::jsonb,
	"result" jsonb DEFAULT '{}'::jsonb,
	"inserted_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_items_work_type_check" CHECK (char_length("work_type") >= 1 AND char_length("work_type") <= 255),
	CONSTRAINT "work_items_priority_check" CHECK ("priority" IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "work_items_status_check" CHECK ("status" IN ('pending', 'claimed', 'in_progress', 'completed', 'failed')),
	CONSTRAINT "work_items_payload_check" CHECK (jsonb_typeof("payload") = 'object'),
	CONSTRAINT "work_items_result_check" CHECK (jsonb_typeof("result") = 'object')
);
--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_claimed_by_fkey" FOREIGN KEY ("claimed_by") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_unique_agent_id_index" ON "agents" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "agents_status_index" ON "agents" USING btree ("status");--> statement-breakpoint
CREATE INDEX "agents_last_heartbeat_index" ON "agents" USING btree ("last_heartbeat");--> statement-breakpoint
CREATE INDEX "telemetry_events_event_name_index" ON "telemetry_events" USING gin ("event_name");--> statement-breakpoint
CREATE INDEX "telemetry_events_trace_id_index" ON "telemetry_events" USING btree ("trace_id");--> statement-breakpoint
CREATE INDEX "telemetry_events_source_index" ON "telemetry_events" USING btree ("source");--> statement-breakpoint
CREATE INDEX "telemetry_events_processed_at_index" ON "telemetry_events" USING btree ("processed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_unique_work_item_id_index" ON "work_items" USING btree ("work_item_id");--> statement-breakpoint
CREATE INDEX "work_items_status_index" ON "work_items" USING btree ("status");--> statement-breakpoint
CREATE INDEX "work_items_work_type_index" ON "work_items" USING btree ("work_type");--> statement-breakpoint
CREATE INDEX "work_items_priority_index" ON "work_items" USING btree ("priority");--> statement-breakpoint
CREATE INDEX "work_items_claimed_by_index" ON "work_items" USING btree ("claimed_by");--> statement-breakpoint
CREATE INDEX "work_items_inserted_at_index" ON "work_items" USING btree ("inserted_at");