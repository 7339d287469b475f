ALTER TABLE "work_items" ADD COLUMN "team" text;--> statement-breakpoint
CREATE INDEX "work_items_team_index" ON "work_items" USING btree ("team");--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_team_check" CHECK (char_length("team") >= 1 AND char_length("team") <= 255);