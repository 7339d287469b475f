CREATE TABLE "workflow_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reactor" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"result" jsonb,
	"error" jsonb,
	"trace_id" text,
	"started_at" timestamp(6) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp(6) with time zone,
	"inserted_at" timestamp(6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_runs_reactor_check" CHECK (char_length("reactor") >= 1 AND char_length("reactor") <= 255),
	CONSTRAINT "workflow_runs_status_check" CHECK ("status" IN ('running', 'completed', 'failed', 'halted', 'cancelled', 'interrupted')),
	CONSTRAINT "workflow_runs_inputs_check" CHECK (jsonb_typeof("inputs") = 'object'),
	CONSTRAINT "workflow_runs_result_check" CHECK (jsonb_typeof("result") = 'object'),
	CONSTRAINT "workflow_runs_error_check" CHECK (jsonb_typeof("error") = 'object'),
	CONSTRAINT "workflow_runs_trace_id_check" CHECK (char_length("trace_id") <= 64)
);
--> statement-breakpoint
CREATE TABLE "workflow_step_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workflow_run_id" uuid NOT NULL,
	"step" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp(6) with time zone,
	"finished_at" timestamp(6) with time zone,
	"duration_ms" double precision,
	"result" jsonb,
	"error" jsonb,
	"inserted_at" timestamp(6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_step_runs_step_check" CHECK (char_length("step") >= 1 AND char_length("step") <= 255),
	CONSTRAINT "workflow_step_runs_status_check" CHECK ("status" IN ('pending', 'running', 'completed', 'failed', 'retrying', 'compensated', 'undone', 'skipped', 'halted', 'cancelled')),
	CONSTRAINT "workflow_step_runs_attempts_check" CHECK ("attempts" >= 0),
	CONSTRAINT "workflow_step_runs_duration_ms_check" CHECK ("duration_ms" >= 0),
	CONSTRAINT "workflow_step_runs_result_check" CHECK (jsonb_typeof("result") = 'object'),
	CONSTRAINT "workflow_step_runs_error_check" CHECK (jsonb_typeof("error") = 'object')
);
--> statement-breakpoint
ALTER TABLE "workflow_step_runs" ADD CONSTRAINT "workflow_step_runs_workflow_run_id_fkey" FOREIGN KEY ("workflow_run_id") REFERENCES "public"."workflow_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workflow_runs_status_index" ON "workflow_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "workflow_runs_reactor_index" ON "workflow_runs" USING btree ("reactor");--> statement-breakpoint
CREATE INDEX "workflow_runs_trace_id_index" ON "workflow_runs" USING btree ("trace_id");--> statement-breakpoint
CREATE INDEX "workflow_runs_started_at_index" ON "workflow_runs" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_step_runs_unique_run_step_index" ON "workflow_step_runs" USING btree ("workflow_run_id","step");--> statement-breakpoint
CREATE INDEX "workflow_step_runs_status_index" ON "workflow_step_runs" USING btree ("status");