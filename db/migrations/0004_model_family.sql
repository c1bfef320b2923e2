ALTER TABLE "spans" ADD COLUMN "model_family" text;--> statement-breakpoint
ALTER TABLE "traces" ADD COLUMN "model_family" text;--> statement-breakpoint
CREATE INDEX "spans_family_unset" ON "spans" USING btree ("trace_id") WHERE model is not null and model_family is null;--> statement-breakpoint
CREATE INDEX "traces_project_family" ON "traces" USING btree ("project_id","model_family");--> statement-breakpoint
CREATE INDEX "traces_family_unset" ON "traces" USING btree ("id") WHERE model is not null and model_family is null;