-- Hand-edited after drizzle-kit: traces and spans are partitioned by day
-- (PARTITION BY below; partitions are made by db/partitions.ts), and the
-- live event counter gets its one row.
CREATE SEQUENCE "public"."traces_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiments_project_id_unique" UNIQUE("project_id")
);
--> statement-breakpoint
CREATE TABLE "live_event_counter" (
	"id" integer PRIMARY KEY NOT NULL,
	"last" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_events" (
	"id" bigint PRIMARY KEY NOT NULL,
	"trace_ids" jsonb NOT NULL,
	"span_ids" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "spans" (
	"id" text NOT NULL,
	"span_id" text NOT NULL,
	"trace_id" text NOT NULL,
	"trace_created_at" timestamp with time zone NOT NULL,
	"root_span_id" text NOT NULL,
	"project_id" text NOT NULL,
	"span_parents" jsonb,
	"name" text,
	"type" text,
	"status" text,
	"input" jsonb,
	"output" jsonb,
	"metadata" jsonb,
	"metrics" jsonb,
	"error" jsonb,
	"provider" text,
	"model" text,
	"start_time" timestamp with time zone,
	"end_time" timestamp with time zone,
	"ttft_ms" double precision,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"total_tokens" integer,
	"cached_tokens" integer,
	"cost_usd" double precision,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spans_id_trace_created_at_pk" PRIMARY KEY("id","trace_created_at")
) PARTITION BY RANGE ("trace_created_at");
--> statement-breakpoint
CREATE TABLE "traces" (
	"id" text NOT NULL,
	"seq" bigint DEFAULT nextval('traces_seq') NOT NULL,
	"project_id" text NOT NULL,
	"experiment_id" text NOT NULL,
	"name" text,
	"source" text NOT NULL,
	"provider" text,
	"model" text,
	"status" text DEFAULT 'running' NOT NULL,
	"input" jsonb,
	"output" jsonb,
	"metadata" jsonb,
	"error" jsonb,
	"start_time" timestamp with time zone,
	"end_time" timestamp with time zone,
	"duration_ms" double precision,
	"ttft_ms" double precision,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"total_tokens" integer,
	"cached_tokens" integer,
	"cost_usd" double precision,
	"span_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "traces_id_created_at_pk" PRIMARY KEY("id","created_at")
) PARTITION BY RANGE ("created_at");
--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "traces" ADD CONSTRAINT "traces_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "traces" ADD CONSTRAINT "traces_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "spans_trace" ON "spans" USING btree ("trace_id","start_time");--> statement-breakpoint
CREATE INDEX "traces_project_seq" ON "traces" USING btree ("project_id","seq");--> statement-breakpoint
CREATE INDEX "traces_project_provider_seq" ON "traces" USING btree ("project_id","provider","seq");--> statement-breakpoint
CREATE INDEX "traces_by_seq" ON "traces" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "traces_start_time" ON "traces" USING btree ("start_time");--> statement-breakpoint
INSERT INTO "live_event_counter" ("id", "last") VALUES (1, 0);
