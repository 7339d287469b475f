ALTER TABLE "agents" ADD COLUMN "token_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_unique_token_hash_index" ON "agents" USING btree ("token_hash");