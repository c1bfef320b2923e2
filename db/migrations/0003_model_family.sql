ALTER TABLE "spans" ADD COLUMN "model_family" text;--> statement-breakpoint
ALTER TABLE "traces" ADD COLUMN "model_family" text;--> statement-breakpoint
CREATE INDEX "traces_project_family" ON "traces" USING btree ("project_id","model_family");