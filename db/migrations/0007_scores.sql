CREATE TABLE "scores" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"trace_id" text NOT NULL,
	"span_id" text,
	"name" text NOT NULL,
	"value" double precision,
	"label" text,
	"comment" text,
	"source" text NOT NULL,
	"author" text,
	"metadata" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "scores_trace_name" ON "scores" USING btree ("trace_id","name","value");--> statement-breakpoint
CREATE INDEX "scores_project_name_time" ON "scores" USING btree ("project_id","name","created_at");--> statement-breakpoint
CREATE INDEX "scores_project_name_value" ON "scores" USING btree ("project_id","name","value","trace_id");--> statement-breakpoint
CREATE INDEX "scores_name_value" ON "scores" USING btree ("name","value","trace_id");