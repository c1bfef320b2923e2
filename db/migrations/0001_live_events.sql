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
-- The counter's one row (a hand-written line: drizzle-kit generates no data).
INSERT INTO "live_event_counter" ("id", "last") VALUES (1, 0);
